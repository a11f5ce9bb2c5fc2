// GET /v1/reports/recommendations?site=&from=&to=&window=7: per strategy, list views, clicks, CTR and the orders
// attributed to them by last click within `window` days (the SQL and the attribution rule: queries.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { RecommendationsReport } from '../../contract/reports.js';
import { readInt, readPeriod, readSite } from '../params.js';
import { readSource } from '../rollups/read.js';
import { ensureReportsSchema } from '../schema.js';
import { strategyCounts } from './queries.js';
import { strategyRows } from './shape.js';

export function recommendationRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const window = readInt(c, 'window', 7, 1, 90);
    const db = c.env.EVENTS;
    const source = readSource(c.req.query('source'));
    await ensureReportsSchema(db);
    const [counts, orders] = await strategyCounts(db, site, source, period, window);
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      windowDays: window,
      strategies: strategyRows(counts, orders),
    } satisfies RecommendationsReport);
  });
  return app;
}
