// GET /v1/reports/experiments?site=&from=&to=&experiment=&source= — mounted by reports/routes.ts (admin only).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { ExperimentsReport } from '../../contract/reports.js';
import { experimentsReport } from './report.js';
import { experimentParam, siteParam, windowParams } from './params.js';
import { readSource } from '../rollups/read.js';

export function experimentRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const compiled = c.var.config;
    const site = siteParam(compiled, c.req.query('site'));
    const window = windowParams(c.req.query('from'), c.req.query('to'));
    const experiments = experimentParam(compiled.config.experiments, c.req.query('experiment'));
    const source = readSource(c.req.query('source'));
    return c.json((await experimentsReport(c.env.EVENTS, compiled.config, site, window, experiments, source)) satisfies ExperimentsReport);
  });
  return app;
}
