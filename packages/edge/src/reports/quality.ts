// GET /v1/reports/quality?site=&from=&to=: data-quality findings of the period — the flags ingest raised on
// traits (invalid emails, phones that cannot be put in E.164), orders the revenue and recommendation
// reports cannot use (no revenue, no products), and the bot events ingest kept out of the log.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { QualityReport } from '../contract/reports.js';
import { botCounts } from '../ingest/bots.js';
import { botSummary, orderFlags, traitFlagRows, type QualityFlag, type TraitRow } from './quality-shape.js';
import { readPeriod, readSite } from './params.js';
import { Binds, readReport, readSource, rowsOf } from './rollup-read.js';
import { identifyRows, orderDayRows, orderIssueRows } from './rollup-rows.js';
import { ensureReportsSchema } from './schema.js';

export function qualityRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const source = readSource(c.req.query('source'));
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const { flags, checked } = await readReport(db, site, source, async (plan, check) => {
      // The trait checks are ingest's own cleaning, in JS: run here on the days not rolled up yet (today).
      const live = new Binds(site);
      const identifies = (await db.prepare(identifyRows('?1', live.add(plan.split > period.start ? plan.split : period.start), live.add(period.end))).bind(...live.values).all<TraitRow>()).results;
      const b = new Binds(site);
      const issues = rowsOf(plan, b, 'report_quality_days', 'issue, path, visitor, events', orderIssueRows, period.start, period.end);
      const traits = `SELECT json_extract(value, '$.issue'), json_extract(value, '$.path'), json_extract(value, '$.visitor'), json_extract(value, '$.events') FROM json_each(${b.add(JSON.stringify(traitFlagRows(identifies)))})`;
      const ob = new Binds(site);
      const orders = rowsOf(plan, ob, 'report_days', 'day, orders, identifies', (s, lo, hi) => `SELECT day, orders, 0 AS identifies FROM (${orderDayRows(s, lo, hi)})`, period.start, period.end);
      const [flagged, counts, checked] = await db.batch<Record<string, number | string>>([
        db.prepare(`SELECT issue, path, sum(events) AS events, count(DISTINCT nullif(visitor, '')) AS visitors FROM (${issues} UNION ALL ${traits}) GROUP BY issue, path`).bind(...b.values),
        db.prepare(`SELECT total(orders) AS orders, total(identifies) AS identifies FROM (${orders})`).bind(...ob.values),
        check,
      ]);
      const n = counts!.results[0] ?? {};
      return {
        value: {
          flags: flagged!.results.map((f) => ({ issue: String(f.issue), path: String(f.path), events: Number(f.events), visitors: Number(f.visitors) })) as QualityFlag[],
          checked: { identifies: Number(n.identifies ?? 0) + identifies.length, orders: Number(n.orders ?? 0) },
        },
        checked: checked!,
      };
    });
    const bots = await botCounts(db, site, period.from, period.to);
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      checked,
      flags: orderFlags(flags),
      bots: botSummary(bots),
    } satisfies QualityReport);
  });
  return app;
}
