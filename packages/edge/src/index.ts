// The Worker's root: mounts the routes, one onError, the cron purge, the log Queue's consumer. Everything else lives in its own module.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { dashboard } from './admin/dashboard.js';
import { adminRoutes } from './admin/routes.js';
import { archiveRoutes } from './admin/archive-routes.js';
import { sessionRoutes } from './admin/session-routes.js';
import type { AppEnv, Bindings } from './app-env.js';
import { configRoutes } from './config/routes.js';
import { scheduleRoutes } from './config/schedule-routes.js';
import { createConfigStore } from './config/store.js';
import { validationOptions } from './config/validate.js';
import { consentRoutes } from './consent/routes.js';
import { decideRoutes } from './decide/routes.js';
import { cors } from './http/cors.js';
import { drainBody } from './http/drain-body.js';
import { headersOf } from './http/errors.js';
import { ingestRoutes } from './ingest/routes.js';
import { compactArchive } from './archive/compact.js';
import { consumeLog } from './log/consume.js';
import { materializeStats, settleStats } from './recs/materialize.js';
import { purgeEvents } from './log/event-log.js';
import { dropClosedDays, windowDays } from './log/event-window.js';
import { recsRoutes } from './recs/routes.js';
import { reportRoutes } from './reports/routes.js';
import { pageRoutes } from './render/routes.js';
import { purgeRecClaims } from './recs/store.js';
import { purgeTriggerLog } from './triggers/log.js';
import { purgeBotEvents } from './ingest/bots.js';
import { loadConfigSchema, loadSeed } from './seed.js';

export { ProfileWriter } from './profile/writer.js';

export interface AppOptions {
  /** How proxy mode (the ORIGIN setting) fetches pages; tests stand in for a site. */
  fetchOrigin?: typeof fetch;
  /**
   * Routes a local stack adds after the API's and before the pages' (the demo store's sign-in,
   * demo-site/backend/worker.ts): they see the config on the request like every route.
   */
  extraRoutes?: (app: Hono<AppEnv>) => void;
}

/**
 * @param bundled the seed config (the build's, seed.ts; tests pass the demo's): validated on first use, never
 *   served broken (config/store.ts keeps the last good one serving)
 * @param bundledCatalog the seed catalog feed
 */
export function createApp(bundled: unknown, bundledCatalog?: unknown, options: AppOptions = {}) {
  const store = createConfigStore(bundled);
  const app = new Hono<AppEnv>();

  app.use('*', drainBody()); // first: no answer leaves before its request's body is read or cancelled
  app.use('*', async (c, next) => {
    c.set('config', await store.current(c.env.PROFILES, Date.now(), validationOptions(c.env)));
    await next();
  });
  app.use('/v1/*', cors());
  app.route('/v1', ingestRoutes({ catalog: bundledCatalog }));
  app.route('/v1/consent', consentRoutes());
  app.route('/v1/profiles', adminRoutes());
  app.route('/v1/archive', archiveRoutes());
  app.route('/v1/admin', sessionRoutes());
  app.route('/v1', decideRoutes());
  app.route('/v1', scheduleRoutes());
  app.route('/v1', configRoutes(store, loadConfigSchema));
  app.route('/v1', recsRoutes({ catalog: bundledCatalog }));
  app.route('/v1/reports', reportRoutes());
  app.all('/v1/*', (c) => c.json({ success: false, error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  options.extraRoutes?.(app);
  app.use('/admin/*', dashboard());
  app.route('/', pageRoutes(bundledCatalog, options.fetchOrigin));

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      for (const [k, v] of Object.entries(headersOf(err))) c.header(k, v);
      return c.json({ success: false, error: err.message }, err.status);
    }
    console.error('attune: unhandled error', err);
    return c.json({ success: false, error: 'internal error' }, 500);
  });

  const scheduled = async (_: ScheduledController, env: Bindings) => {
    for (const s of (await store.current(env.PROFILES, Date.now(), validationOptions(env))).sites) {
      await purgeEvents(env.EVENTS, s.id, s.retentionDays);
      await purgeRecClaims(env.EVENTS, s.id, s.retentionDays);
      await purgeTriggerLog(env.EVENTS, s.id, s.retentionDays);
      // Yesterday's report rollups, built before anyone opens the dashboard; then the days past the event window
      // leave D1's log (their rollups and the archive keep them).
      await dropClosedDays(env.EVENTS, s.id, windowDays(env.ATTUNE_EVENT_WINDOW_DAYS));
      await purgeBotEvents(env.EVENTS, s.id, s.retentionDays);
      // The archive: days past retention go, yesterday and late-written or erased-from days are compacted.
      await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: s.id, retentionDays: s.retentionDays }, Date.now(), { budgetMs: 10 * 60_000 });
      // The recommendation copies pages read: the top lists refreshed, marks a consumer left swept.
      await settleStats(env.EVENTS, env.PROFILES, s.id, await materializeStats(env.EVENTS, env.PROFILES, s.id, []));
    }
  };
  const queue = (batch: MessageBatch<unknown>, env: Bindings) => consumeLog(batch, env);
  return { fetch: app.fetch, scheduled, queue, app };
}

/**
 * The Worker a deploy runs: its app is made on the isolate's first request or cron, from the seed the build wrote
 * (seed.ts). Requests arriving before it is made each decode the seed themselves, the first to finish makes it: a
 * request never waits on another's stream, which workerd would cancel with that request.
 */
export function createWorker(options: AppOptions = {}) {
  let made: ReturnType<typeof createApp> | undefined;
  const ready = async () => {
    if (made) return made;
    const seed = await loadSeed();
    return (made ??= createApp(seed.config, seed.catalog, options));
  };
  return {
    async fetch(request, env, ctx) {
      return (await ready()).fetch(request, env, ctx);
    },
    async scheduled(controller, env) {
      await (await ready()).scheduled(controller, env);
    },
    // The log's consumer reads no config: it does not wait for the seed.
    queue: (batch, env) => consumeLog(batch, env),
  } satisfies ExportedHandler<Bindings>;
}

export default createWorker();
