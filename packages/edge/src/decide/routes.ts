// POST /v1/decide (the visitor's variants); admin: POST /v1/preview (a signed preview link, optionally of a
// draft config: preview-create.ts), GET /v1/previews (the live ones), DELETE /v1/preview/:id (revokes one).
import { Hono } from 'hono';
import { requireRole } from '../admin/auth.js';
import { recordAudit } from '../admin/audit.js';
import { formatPath } from '../config/problems.js';
import { decideRequestSchema } from '../contract/decide.js';
import { deviceOf } from '../experiments/bots.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { rateLimit } from '../http/rate-limit.js';
import { checkOrigin, resolveSite } from '../http/site.js';
import type { AppEnv } from '../app-env.js';
import { visitorOf } from '../profile/visitor.js';
import { decide } from './decide.js';
import { PREVIEW_COOKIE, previewIdSchema } from './preview.js';
import { createPreview, PREVIEW_BYTES } from './preview-create.js';
import { dropDraft } from './preview-draft.js';
import { activePreview, cookieValue } from './preview-request.js';
import { livePreviews, revokePreview } from './preview-store.js';
import type * as z from '../contract/zod.js';

const DECIDE_BYTES = 16 * 1024;

/** A zod error as one 400 message naming each field. */
const invalid = (what: string, error: z.core.$ZodError): never =>
  fail(400, `${what}: ${error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);

export function decideRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/decide', async (c) => {
    const parsed = decideRequestSchema.safeParse(await readJsonObject(c, DECIDE_BYTES, 'for a decide request'));
    if (!parsed.success) invalid('invalid decide request', parsed.error);
    const req = parsed.data!;
    const site = resolveSite(c, c.var.config.sites, req.writeKey);
    checkOrigin(c, site);
    await rateLimit(c, 'reads', site);

    // A user id counts only with its proof (userHash); the profile is named only by a key the caller holds.
    const { anonymousId, consent, profile, profileId } = await visitorOf(c, site, req);

    // A token sent must be good (403 otherwise); the preview cookie of a page that opened a link (a widget asking
    // from that page) previews while its link lives and is ignored after, as pages ignore it.
    let preview;
    let config = c.var.config;
    const sent = req.preview ?? cookieValue(c.req.header('cookie'), PREVIEW_COOKIE);
    if (sent) {
      const v = await activePreview(c, sent);
      if ('error' in v && req.preview) fail(403, v.error);
      if (!('error' in v)) [preview, config] = [v.preview, v.config];
    }
    const userAgent = c.req.header('user-agent');
    const country = (c.req.raw as { cf?: { country?: string } }).cf?.country;
    const result = decide(config, {
      profile,
      consent,
      context: { ...req.context, device: deviceOf(userAgent), country, userAgent },
      bucketingId: anonymousId,
      now: Date.now(),
      slots: req.slots,
      preview,
      timeZone: site.timeZone,
    });
    // Personalized: never to be cached for anyone else.
    c.header('Cache-Control', 'private, no-store');
    return c.json({ ...result, profileId });
  });

  app.post('/preview', requireRole('editor'), async (c) => {
    return createPreview(c, await readJsonObject(c, PREVIEW_BYTES, 'for a preview request'));
  });

  app.get('/previews', requireRole('editor'), async (c) => {
    const links = await livePreviews(c.env.PROFILES);
    return c.json({ previews: links.map(({ exp, ...l }) => ({ ...l, expires: new Date(exp).toISOString() })) });
  });

  // A revoked link shows the live page (as any visitor sees it) and POST /v1/decide refuses it with 403.
  app.delete('/preview/:id', requireRole('editor'), async (c) => {
    const id = previewIdSchema.safeParse(c.req.param('id'));
    if (!id.success) invalid('invalid preview id', id.error);
    const link = await revokePreview(c.env.PROFILES, id.data!);
    if (!link) fail(404, `no live preview link "${id.data}": it expired, was revoked, or never existed`);
    if (link.draft) await dropDraft(c.env.PROFILES, id.data!);
    await recordAudit(c, 'preview-revoked', { id: id.data, path: link.path, draft: !!link.draft });
    return c.json({ success: true, revoked: id.data, expires: new Date(link.exp).toISOString() });
  });

  return app;
}
