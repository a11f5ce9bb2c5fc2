// The Worker's root: mounts the routes, one onError, the cron purge. Everything else lives in its own module.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import config from '../../../demo-site/attune.config.json';
import { adminRoutes } from './admin/routes.js';
import { consentRoutes } from './consent/routes.js';
import { configSchema, type AttuneConfig } from './contract/index.js';
import { cors } from './http/cors.js';
import { headersOf } from './http/errors.js';
import { sitesOf } from './http/site.js';
import { ingestRoutes, type Bindings } from './ingest/routes.js';
import { purgeEvents } from './log/event-log.js';

export { ProfileWriter } from './profile/writer.js';

export function createApp(cfg: AttuneConfig) {
  const sites = sitesOf(cfg);
  const app = new Hono<{ Bindings: Bindings }>();

  app.use('/v1/*', cors(sites));
  app.route('/v1', ingestRoutes(sites));
  app.route('/v1/consent', consentRoutes(sites));
  app.route('/v1/profiles', adminRoutes(sites));
  app.all('/v1/*', (c) => c.json({ success: false, error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.all('*', (c) => c.env.ASSETS.fetch(c.req.raw));

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      for (const [k, v] of Object.entries(headersOf(err))) c.header(k, v);
      return c.json({ success: false, error: err.message }, err.status);
    }
    console.error('attune: unhandled error', err);
    return c.json({ success: false, error: 'internal error' }, 500);
  });

  const scheduled = async (_: ScheduledController, env: Bindings) => {
    for (const s of sites) await purgeEvents(env.EVENTS, s.id, s.retentionDays);
  };
  return { fetch: app.fetch, scheduled, app };
}

/** The config is bundled at build time; a broken one fails here, at startup, not on a visitor's request. */
export const CONFIG = configSchema.parse(config);
const worker = createApp(CONFIG);

export default { fetch: worker.fetch, scheduled: worker.scheduled } satisfies ExportedHandler<Bindings>;
