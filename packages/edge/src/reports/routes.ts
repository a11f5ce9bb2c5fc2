// GET /v1/reports/*: what the dashboard (/admin) shows, computed with SQL on the D1 event log. Any admin role (viewer and up).
// Each report lives in its own module; this file only mounts them.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requireRole } from '../admin/auth.js';
import { discoveryRoutes } from './discovery-routes.js';
import { experimentRoutes } from './experiment-routes.js';
import { beforeAfterRoutes } from './before-after.js';
import { funnelRoutes } from './funnel.js';
import { overviewRoutes } from './overview.js';
import { qualityRoutes } from './quality.js';
import { recommendationRoutes } from './recommendations.js';
import { segmentRoutes } from './segments.js';
import { triggerLogRoutes } from './triggers.js';

export function reportRoutes() {
  const app = new Hono<AppEnv>();
  // Every role reads reports: the viewer role exists for them.
  app.use('*', requireRole('viewer'));
  // Mounted by the reports modules: overview/KPIs, funnels, segments, quality, recommendations,
  // before/after (reports/*.ts) and experiments, discovery (reports/experiments*.ts, reports/discovery*.ts).
  app.route('/overview', overviewRoutes());
  app.route('/funnel', funnelRoutes());
  app.route('/segments', segmentRoutes());
  app.route('/quality', qualityRoutes());
  app.route('/recommendations', recommendationRoutes());
  app.route('/before-after', beforeAfterRoutes());
  app.route('/experiments', experimentRoutes());
  app.route('/segments/discover', discoveryRoutes());
  app.route('/triggers', triggerLogRoutes());
  return app;
}
