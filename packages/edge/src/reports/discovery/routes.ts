// GET /v1/reports/segments/discover?site=&source= — mounted by reports/routes.ts (admin only).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { DiscoveryReport } from '../../contract/reports.js';
import { discover } from './discover.js';
import { loadFeatures } from './features.js';
import { siteParam } from '../experiments/params.js';
import { readSource } from '../rollups/read.js';

export function discoveryRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = siteParam(c.var.config, c.req.query('site'));
    const source = readSource(c.req.query('source'));
    return c.json(discover(site, await loadFeatures(c.env.EVENTS, site, source)) satisfies DiscoveryReport);
  });
  return app;
}
