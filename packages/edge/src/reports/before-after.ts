// GET /v1/reports/before-after?site=&date=YYYY-MM-DD&metric=conversion_rate&days=14: a KPI over the `days`
// days before `date` against the `days` days from `date` on (the day of the change counts as "after").
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { BeforeAfterReport } from '../contract/reports.js';
import { fail } from '../http/errors.js';
import { kpiCounts, npsQuestions, type KpiResult } from './kpi-queries.js';
import { KPI_DEFINITIONS, KPI_NAMES, kpisOf, trendOf, type KpiName } from './kpis.js';
import { DAY_MS, didYouMean, oneOf, parseDay, periodOf, readInt, readSite } from './params.js';
import { readSource } from './rollup-read.js';
import { ensureReportsSchema } from './schema.js';

export function beforeAfterRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const source = readSource(c.req.query('source'));
    const rawDate = c.req.query('date');
    if (!rawDate) fail(400, 'date: required, the day of the change as YYYY-MM-DD');
    const date = parseDay('date', rawDate);
    const metric = c.req.query('metric') ?? 'conversion_rate';
    if (!(KPI_NAMES as readonly string[]).includes(metric)) {
      const hint = didYouMean(metric, KPI_NAMES);
      fail(400, `unknown metric ${JSON.stringify(metric)}${hint ? ` — did you mean "${hint}"?` : ''}: ${oneOf(KPI_NAMES)}`);
    }
    const days = readInt(c, 'days', 14, 1, 180);
    const before = periodOf(date - days * DAY_MS, date - DAY_MS);
    const after = periodOf(date, date + (days - 1) * DAY_MS);
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const nps = npsQuestions(c.var.config.config);
    const [b, a] = (await kpiCounts(db, site, source, [before, after], nps)) as [KpiResult, KpiResult];
    const k = metric as KpiName;
    const t = trendOf(kpisOf(a)[k], kpisOf(b)[k]);
    return c.json({
      site,
      metric: k,
      ...KPI_DEFINITIONS[k],
      days,
      before: { from: before.from, to: before.to, value: t.previous },
      after: { from: after.from, to: after.to, value: t.value },
      change: t.change,
      relative: t.relative,
      // The "after" window reaches past today: fewer days of data than "before", so sums are not comparable yet.
      partial: Date.parse(after.end) > Date.now(),
    } satisfies BeforeAfterReport);
  });
  return app;
}
