// GET /v1/reports/*: what the dashboard (/admin) shows, computed with SQL on the D1 event log. Any admin role (viewer and up).
// One folder per report family, each laid out the same way: <family>/routes.ts is its route module (mounted
// here, nowhere else), its SQL in <family>/queries.ts or named files beside it, pure shaping in <family>/shape.ts.
// Shared by all: params.ts (query parameters), sql.ts (SQL fragments), schema.ts (indexes), rollups/ (per-day rollups
// of closed days and the read plan that joins them to today's events). This file only mounts the families.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requireRole } from '../admin/auth.js';
import { discoveryRoutes } from './discovery/routes.js';
import { experimentRoutes } from './experiments/routes.js';
import { funnelRoutes } from './funnel/routes.js';
import { beforeAfterRoutes, overviewRoutes } from './kpis/routes.js';
import { qualityRoutes } from './quality/routes.js';
import { recommendationRoutes } from './recommendations/routes.js';
import { segmentRoutes } from './segments/routes.js';
import { triggerLogRoutes } from './triggers/routes.js';

export function reportRoutes() {
  const app = new Hono<AppEnv>();
  // Every role reads reports: the viewer role exists for them.
  app.use('*', requireRole('viewer'));
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
