// The funnel report's SQL (route: routes.ts): visitors who did the steps in this order within the period. A
// visitor reaches step k when they have an event of step k at or after the time they reached step k−1 (the first
// such time counts), all inside the period.
import { fail } from '../../http/errors.js';
import { DEFAULT_STEPS } from './shape.js';
import { didYouMean, type Period } from '../params.js';
import { Binds, readReport, type ReadPlan } from '../rollups/read.js';
import { VISITOR } from '../sql.js';

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

/**
 * Every (visitor, time) of one step's events in the period: closed days from report_name_days (each row's JSON
 * array of times), the rest from the events. The same pairs either way, so the greedy matching below is exact.
 */
function stepEvents(plan: ReadPlan, b: Binds, p: Period, step: string): string {
  const name = b.add(step);
  const rollup = `SELECT visitor AS v, j.value AS t FROM report_name_days, json_each(times) j
    WHERE site = ?1 AND name = ${name} AND day >= ${b.add(p.from)} AND day < ${b.add(min(p.end, plan.split).slice(0, 10))}`;
  const live = `SELECT ${VISITOR} AS v, timestamp AS t FROM events
    WHERE site = ?1 AND name = ${name} AND timestamp >= ${b.add(max(p.start, plan.split))} AND timestamp < ${b.add(p.end)} AND ${VISITOR} IS NOT NULL`;
  return `${rollup} UNION ALL ${live}`;
}

/** One CTE per step: each visitor's first time at this step after the previous one. */
export function funnelSql(plan: ReadPlan, b: Binds, p: Period, steps: string[]): string {
  const ctes: string[] = [];
  const n = steps.length;
  for (let i = 0; i < n; i++) {
    const events = stepEvents(plan, b, p, steps[i]!);
    // A step's pairs once, joined by visitor (SQLite indexes the materialized rows for the join).
    if (i > 0) ctes.push(`e${i} AS MATERIALIZED (${events})`);
    ctes.push(
      i === 0
        ? `s0 AS MATERIALIZED (SELECT v, min(t) AS t FROM (${events}) GROUP BY v)`
        : `s${i} AS MATERIALIZED (SELECT p.v, min(e.t) AS t FROM s${i - 1} p JOIN e${i} e ON e.v = p.v AND e.t >= p.t GROUP BY p.v)`,
    );
  }
  return `WITH ${ctes.join(',\n')} SELECT ${[...Array(n).keys()].map((i) => `(SELECT count(*) FROM s${i}) AS n${i}`).join(', ')}`;
}

/**
 * A step no event in the log has ever had is most likely a typo: named, with the nearest known name. The names of
 * days that left the event window are in report_name_days.
 */
export async function unknownSteps(db: D1Database, site: string, steps: string[]): Promise<void> {
  const seen = await db.batch<{ n: number }>(
    steps.map((s) =>
      db
        .prepare('SELECT (EXISTS (SELECT 1 FROM events WHERE site = ?1 AND name = ?2) OR EXISTS (SELECT 1 FROM report_name_days WHERE site = ?1 AND name = ?2)) AS n')
        .bind(site, s),
    ),
  );
  const missing = steps.filter((s, i) => !seen[i]!.results[0]?.n && !DEFAULT_STEPS.includes(s));
  if (!missing.length) return;
  const { results } = await db
    .prepare('SELECT name FROM (SELECT DISTINCT name FROM events WHERE site = ?1 AND name IS NOT NULL UNION SELECT DISTINCT name FROM report_name_days WHERE site = ?1) LIMIT 500')
    .bind(site)
    .all<{ name: string }>();
  const known = [...DEFAULT_STEPS, ...results.map((r) => r.name)];
  const hint = didYouMean(missing[0]!, known);
  fail(400, `unknown step ${JSON.stringify(missing[0])}: no event of that name was ever logged${hint ? ` — did you mean "${hint}"?` : ''}`);
}

/** Visitors reaching each step: closed days from the rollups (built when missing), today from the events. */
export function funnelCounts(db: D1Database, site: string, source: 'rollup' | 'raw', period: Period, steps: string[], now = Date.now()): Promise<number[]> {
  return readReport(
    db,
    site,
    source,
    async (plan, check) => {
      const b = new Binds(site);
      const [checked, row] = await db.batch<Record<string, number>>([check, db.prepare(funnelSql(plan, b, period, steps)).bind(...b.values)]);
      return { value: steps.map((_, i) => Number(row!.results[0]?.[`n${i}`] ?? 0)), checked: checked! };
    },
    now,
  );
}
