// The quality report's SQL (route: routes.ts): flagged order issues and trait checks per issue and path, and how
// many identifies and orders were checked. Closed days from the rollups; the days not rolled up yet run ingest's
// own trait cleaning in JS (shape.ts traitFlagRows), the same as the rollup does.
import type { Period } from '../params.js';
import { Binds, readReport, rowsOf, type Source } from '../rollups/read.js';
import { identifyRows, orderDayRows, orderIssueRows } from '../rollups/rows.js';
import { traitFlagRows, type QualityFlag, type TraitRow } from './shape.js';

/** The flags of the period, and how many identifies and orders were checked for them. */
export function qualityFlags(db: D1Database, site: string, source: Source, period: Period) {
  return readReport(db, site, source, async (plan, check) => {
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
}
