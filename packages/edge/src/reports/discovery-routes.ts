// GET /v1/reports/segments/discover?site= — mounted by reports/routes.ts (admin only).
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ensureSchema } from '../log/event-log.js';
import { discover } from './discovery.js';
import { loadFeatures } from './discovery-features.js';
import { siteParam } from './experiments-query.js';

export function discoveryRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = siteParam(c.var.config, c.req.query('site'));
    await ensureSchema(c.env.EVENTS);
    return c.json(discover(site, await loadFeatures(c.env.EVENTS, site)));
  });
  return app;
}
