// Both halves of Attune in one Worker: the visitor app (visitor-app.ts) hands the workplace's paths to the workplace
// app (workplace-app.ts) in the same isolate instead of over a service binding. The Worker tests run this (their
// pool's main, vitest.config.ts), so every route is reachable from one SELF; a deploy runs the two Workers
// (visitor.ts and workplace.ts), as `npm start` and the suites that drive `wrangler dev` do.
import { loadConfigSchema, loadSeed } from './seed.js';
import { createVisitorApp, type VisitorOptions } from './visitor-app.js';
import { onFirstUse } from './on-first-use.js';
import { workplaceHandlers } from './workplace-handlers.js';
import { createWorkplaceApp } from './workplace-app.js';

export { ProfileWriter } from './profile/writer.js';

export type AppOptions = VisitorOptions;

/**
 * @param bundled the seed config (the build's, seed.ts; tests pass the demo's): validated on first use, never
 *   served broken (config/store.ts keeps the last good one serving)
 * @param bundledCatalog the seed catalog feed
 */
export function createApp(bundled: unknown, bundledCatalog?: unknown, options: AppOptions = {}) {
  const workplace = createWorkplaceApp(bundled, loadConfigSchema);
  const visitor = createVisitorApp(bundled, bundledCatalog, (request, env, ctx) => Promise.resolve(workplace.fetch(request, env, ctx)), options);
  return {
    fetch: visitor.fetch,
    scheduled: workplace.scheduled,
    queue: workplace.queue,
    app: visitor.app,
    /** Every route either half answers (the visitor's own, then the workplace's behind its hand-over paths). */
    routes: [...visitor.app.routes, ...workplace.app.routes],
  };
}

/** The one-Worker composition made on the isolate's first request or cron, from the build's seed (seed.ts). */
export function createWorker(options: AppOptions = {}) {
  return workplaceHandlers(
    onFirstUse(async () => {
      const seed = await loadSeed();
      return createApp(seed.config, seed.catalog, options);
    }),
  );
}

export default createWorker();
