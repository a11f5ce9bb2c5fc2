// The KPI reports, both from the same counts (queries.ts) and shaping (shape.ts):
// GET /v1/reports/overview?site=&from=&to=: the KPIs of the period against the period of equal length
// before it, and a daily series for the charts.
// GET /v1/reports/before-after?site=&date=YYYY-MM-DD&metric=conversion_rate&days=14: a KPI over the `days`
// days before `date` against the `days` days from `date` on (the day of the change counts as "after").
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { BeforeAfterReport, OverviewReport } from '../../contract/reports.js';
import { fail } from '../../http/errors.js';
import { DAY_MS, didYouMean, oneOf, parseDay, periodOf, previousOf, readInt, readPeriod, readSite } from '../params.js';
import { readSource } from '../rollups/read.js';
import { ensureReportsSchema } from '../schema.js';
import { kpiCounts, npsQuestions, type KpiResult } from './queries.js';
import { dailySeries, daysBetween, KPI_DEFINITIONS, KPI_NAMES, kpisOf, kpiTrends, trendOf, type KpiName } from './shape.js';

export function overviewRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const source = readSource(c.req.query('source'));
    const period = readPeriod((k) => c.req.query(k));
    const previous = previousOf(period);
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const nps = npsQuestions(c.var.config.config);
    const [{ daily, ...now }, { daily: _, ...before }] = (await kpiCounts(db, site, source, [period, previous], nps)) as [KpiResult, KpiResult];
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      previous: { from: previous.from, to: previous.to },
      kpis: kpiTrends(kpisOf(now), kpisOf(before)),
      counts: now,
      series: dailySeries(daysBetween(period.from, period.to), daily.visitors, daily.orders),
    } satisfies OverviewReport);
  });
  return app;
}

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
