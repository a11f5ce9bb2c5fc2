// Drafts (editor+): GET /v1/config/drafts, GET/PUT/DELETE /v1/config/drafts/:name. A draft is saved with its
// problems, valid or not; publishing one is PUT /v1/config with If-Match: its baseVersion.
import { Hono } from 'hono';
import { actorOf } from '../admin/actor.js';
import { recordAudit } from '../admin/audit.js';
import { requireRole } from '../admin/auth.js';
import type { AppEnv } from '../app-env.js';
import { draftBodySchema, draftNameSchema } from '../contract/studio.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { deleteDraft, getDraft, listDrafts, putDraft } from './drafts-store.js';
import { validateConfig, validationOptions } from './validate.js';

const DRAFT_BYTES = 1024 * 1024 + 1024;

const nameOf = (raw: string) => {
  const name = draftNameSchema.safeParse(raw);
  if (!name.success) fail(400, `draft name ${JSON.stringify(raw.slice(0, 80))}: expected 1 to 60 of a-z, 0-9, ".", "_", "-"`);
  return name.data;
};

export function draftRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('editor'), async (c) => c.json({ drafts: await listDrafts(c.env.EVENTS) }));

  app.get('/:name', requireRole('editor'), async (c) => {
    const name = nameOf(c.req.param('name'));
    const draft = await getDraft(c.env.EVENTS, name);
    if (!draft) fail(404, `there is no draft "${name}": GET /v1/config/drafts lists them`);
    // Checked as it is read: the rules of today's Worker, not of the day it was saved.
    const r = validateConfig(draft.config, validationOptions(c.env));
    return c.json({ ...draft, errors: r.ok ? [] : r.errors, warnings: r.warnings });
  });

  app.put('/:name', requireRole('editor'), async (c) => {
    const name = nameOf(c.req.param('name'));
    const body = draftBodySchema.safeParse(await readJsonObject(c, DRAFT_BYTES, 'for a draft'));
    if (!body.success) fail(400, `a draft is {"baseVersion": <the version it started from>, "config": {…}}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    if (body.data.config === undefined) fail(400, 'config: missing: a draft is {"baseVersion": <version>, "config": {…}}');
    const r = validateConfig(body.data.config, validationOptions(c.env));
    const actor = actorOf(c);
    await putDraft(c.env.EVENTS, { name, baseVersion: body.data.baseVersion, config: JSON.stringify(body.data.config), updatedBy: actor.name, updatedAt: Date.now() });
    await recordAudit(c, 'draft-saved', { draft: name, baseVersion: body.data.baseVersion, errors: r.ok ? 0 : r.errors.length });
    return c.json({ success: true, errors: r.ok ? [] : r.errors, warnings: r.warnings });
  });

  app.delete('/:name', requireRole('editor'), async (c) => {
    const name = nameOf(c.req.param('name'));
    if (!(await deleteDraft(c.env.EVENTS, name))) fail(404, `there is no draft "${name}"`);
    return c.json({ success: true });
  });

  return app;
}
