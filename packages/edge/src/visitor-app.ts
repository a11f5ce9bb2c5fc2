// The visitor's half of Attune: what a shop's pages and its visitors call on every page view (ingest, consent,
// decide, recommendations, quizzes, the personalized pages), the profile writers, and the dashboard's static files. Whatever the marketer's
// workplace answers (workplace-paths.ts) is handed to `workplace` untouched: over a service binding in the visitor
// Worker (visitor.ts), in process in the one-Worker composition (index.ts).
import { Hono, type ExecutionContext } from 'hono';
import { dashboard } from './admin/dashboard.js';
import { noRoute, useBase } from './app-base.js';
import type { AppEnv, Bindings } from './app-env.js';
import { quizRoutes } from './config/quiz-routes.js';
import { createConfigStore } from './config/store.js';
import { consentRoutes } from './consent/routes.js';
import { decideRoutes } from './decide/routes.js';
import { onError } from './http/errors.js';
import { ingestRoutes } from './ingest/routes.js';
import { recsRoutes } from './recs/routes.js';
import { pageRoutes } from './render/routes.js';
import { WORKPLACE_PATHS } from './workplace-paths.js';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Answers a request the workplace owns, as it came. */
export type Workplace = (request: Request, env: Bindings, ctx?: ExecutionContext) => Promise<Response>;

export interface VisitorOptions {
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
export function createVisitorApp(bundled: unknown, bundledCatalog: unknown, workplace: Workplace, options: VisitorOptions = {}) {
  const store = createConfigStore(bundled);
  const app = new Hono<AppEnv>();

  // First, before the visitor's own middleware: the workplace reads the body, sets its own headers (CORS included)
  // and answers its own errors. A change it accepted may be a new config: this isolate looks at KV again on its next
  // request rather than up to 5 s later (a refused one, a read or a preflight leaves the copy it holds).
  for (const path of WORKPLACE_PATHS)
    app.all(path, async (c) => {
      let ctx: ExecutionContext | undefined;
      try {
        ctx = c.executionCtx; // Hono's getter throws when the app was called without one (tests do)
      } catch {}
      const res = await workplace(c.req.raw, c.env, ctx);
      if (res.ok && CHANGES.has(c.req.method)) store.stale();
      return res;
    });

  useBase(app, store);
  app.route('/v1', ingestRoutes({ catalog: bundledCatalog }));
  app.route('/v1/consent', consentRoutes());
  app.route('/v1', decideRoutes());
  app.route('/v1', quizRoutes());
  app.route('/v1', recsRoutes({ catalog: bundledCatalog }));
  app.all('/v1/*', noRoute);
  options.extraRoutes?.(app);
  app.use('/admin/*', dashboard());
  app.route('/', pageRoutes(bundledCatalog, options.fetchOrigin));
  app.onError(onError);

  return { fetch: app.fetch, app, store };
}
