// GET /v1/reports/overview?site=&from=&to=: the KPIs of the period against the period of equal length
// before it, and a daily series for the charts.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { OverviewReport } from '../contract/reports.js';
import { kpiCounts, npsQuestions, type KpiResult } from './kpi-queries.js';
import { dailySeries, daysBetween, kpisOf, kpiTrends } from './kpis.js';
import { previousOf, readPeriod, readSite } from './params.js';
import { readSource } from './rollup-read.js';
import { ensureReportsSchema } from './schema.js';

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
