// GET /v1/reports/*: what the dashboard (/admin) shows, computed with SQL on the D1 event log. Admin only.
// Each report lives in its own module; this file only mounts them.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requireAdmin } from '../admin/auth.js';
import { experimentRoutes } from './experiment-routes.js';

export function reportRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAdmin());
  // Mounted by the reports modules: overview/KPIs, funnels, segments, quality, recommendations,
  // before/after (reports/*.ts) and experiments, discovery (reports/experiments*.ts, reports/discovery*.ts).
  app.route('/experiments', experimentRoutes());
  return app;
}
