// The marketer's half of Attune: the studio's config API (versions, drafts, schedules), reports, the archive,
// accounts and sessions, the admin API on profiles; the nightly cron and the event log's consumer.
// The visitor Worker hands it these paths (workplace-paths.ts); it never sees a page view.
import { Hono } from 'hono';
import { adminRoutes } from './admin/routes.js';
import { archiveRoutes } from './admin/archive-routes.js';
import { sessionRoutes } from './admin/session-routes.js';
import { noRoute, useBase } from './app-base.js';
import type { AppEnv, Bindings } from './app-env.js';
import { compactArchive } from './archive/compact.js';
import { configRoutes } from './config/routes.js';
import { scheduleRoutes } from './config/schedule-routes.js';
import { createConfigStore } from './config/store.js';
import { validationOptions } from './config/validate.js';
import { onError } from './http/errors.js';
import { purgeBotEvents } from './ingest/bots.js';
import { consumeLog } from './log/consume.js';
import { purgeEvents } from './log/event-log.js';
import { dropClosedDays, windowDays } from './log/event-window.js';
import { materializeStats, settleStats } from './recs/materialize.js';
import { purgeRecClaims } from './recs/store.js';
import { reportRoutes } from './reports/routes.js';
import { purgeTriggerLog } from './triggers/log.js';

/**
 * @param bundled the seed config (the build's, seed.ts; tests pass the demo's)
 * @param configSchema the config's JSON Schema as text (the build's, seed.ts), for GET /v1/config/schema
 */
export function createWorkplaceApp(bundled: unknown, configSchema: () => Promise<string>) {
  const store = createConfigStore(bundled);
  const app = new Hono<AppEnv>();

  useBase(app, store);
  app.route('/v1/profiles', adminRoutes());
  app.route('/v1/archive', archiveRoutes());
  app.route('/v1/admin', sessionRoutes());
  app.route('/v1', scheduleRoutes());
  app.route('/v1', configRoutes(store, configSchema));
  app.route('/v1/reports', reportRoutes());
  app.all('*', noRoute);
  app.onError(onError);

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
  // The log's consumer reads no config.
  const queue = (batch: MessageBatch<unknown>, env: Bindings) => consumeLog(batch, env);
  return { fetch: app.fetch, scheduled, queue, app, store };
}
