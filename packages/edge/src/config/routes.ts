// The config's admin API: GET and PUT /v1/config (the live version, and publishing a new one without a deploy),
// POST /v1/config/validate, GET /v1/config/schema, the versions (versions-routes.ts) and drafts (drafts-routes.ts).
// The workplace Worker answers them (workplace-app.ts).
import { Hono } from 'hono';
import { requireRole } from '../admin/auth.js';
import type { AppEnv } from '../app-env.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { draftRoutes } from './drafts-routes.js';
import { parseJson } from './parse-json.js';
import { liveVersion, publish } from './publish.js';
import { parseComment, parseIfMatch } from './publish-headers.js';
import type { ConfigStore } from './store.js';
import { validateConfig, validationOptions } from './validate.js';
import { versionRoutes } from './versions-routes.js';

export const CONFIG_BYTES = 1024 * 1024;

/** @param configSchema the config's JSON Schema as text (the build's, seed.ts): zod's generator stays out of the Worker */
export function configRoutes(store: ConfigStore, configSchema: () => Promise<string>) {
  const app = new Hono<AppEnv>();
  let schema: string | undefined;

  app.get('/config', requireRole('viewer'), async (c) => {
    const live = await liveVersion(c, store);
    c.header('ETag', `"${live.version}"`);
    c.header('Cache-Control', 'no-store');
    return c.json({ version: live.version, hash: live.hash, publishedBy: live.publishedBy, publishedAt: live.publishedAt, comment: live.comment, config: live.config });
  });

  app.put('/config', requireRole('publisher'), async (c) => {
    const ifMatch = parseIfMatch(c.req.header('if-match'));
    if (!ifMatch.ok) fail(412, ifMatch.error);
    const comment = parseComment(c.req.header('attune-comment'));
    if (!comment.ok) fail(400, comment.error);
    return publish(c, store, { input: await readJsonObject(c, CONFIG_BYTES, 'for a config'), expected: ifMatch.version, comment: comment.comment });
  });

  // Validating is the point: an invalid config, even one that is not JSON, is a 200 with its problems, reported
  // as `npx attune validate` reports them.
  app.post('/config/validate', requireRole('editor'), async (c) => {
    const length = Number(c.req.header('content-length'));
    if (length > CONFIG_BYTES) fail(413, `the body (${length} bytes) is over the limit of ${CONFIG_BYTES} bytes for a config`);
    const text = await c.req.text();
    if (text.length > CONFIG_BYTES) fail(413, `the body is over the limit of ${CONFIG_BYTES} bytes for a config`);
    const json = parseJson(text);
    if (!json.ok) return c.json({ ok: false, errors: [json.problem], warnings: [] });
    const r = validateConfig(json.value, validationOptions(c.env));
    return c.json({ ok: r.ok, errors: r.ok ? [] : r.errors, warnings: r.warnings });
  });

  // The same for every request of a deploy: generated once per isolate, cached by the browser for a while.
  app.get('/config/schema', requireRole('viewer'), async (c) => {
    schema ??= await configSchema();
    c.header('Cache-Control', 'private, max-age=300');
    c.header('Content-Type', 'application/schema+json');
    return c.body(schema);
  });

  app.route('/config/versions', versionRoutes(store));
  app.route('/config/drafts', draftRoutes());

  return app;
}
