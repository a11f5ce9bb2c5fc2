// GET /v1/reports/funnel?site=&from=&to=&steps=A,B,C: visitors who did the steps in this order within the
// period, and the drop-off between steps (the SQL and its matching rule: queries.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { FunnelReport } from '../../contract/reports.js';
import { fail } from '../../http/errors.js';
import { readPeriod, readSite } from '../params.js';
import { readSource } from '../rollups/read.js';
import { ensureReportsSchema } from '../schema.js';
import { funnelCounts, unknownSteps } from './queries.js';
import { funnelOf, parseSteps } from './shape.js';

export function funnelRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const parsed = parseSteps(c.req.query('steps'));
    if ('problem' in parsed) fail(400, parsed.problem);
    const { steps } = parsed;
    const db = c.env.EVENTS;
    const source = readSource(c.req.query('source'));
    await ensureReportsSchema(db);
    await unknownSteps(db, site, steps);
    const counts = await funnelCounts(db, site, source, period, steps);
    return c.json({ site, period: { from: period.from, to: period.to, days: period.days }, steps: funnelOf(steps, counts) } satisfies FunnelReport);
  });
  return app;
}
