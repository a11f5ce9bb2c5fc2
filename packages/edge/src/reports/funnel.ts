// GET /v1/reports/funnel?site=&from=&to=&steps=A,B,C: visitors who did the steps in this order within the
// period, and the drop-off between steps. A visitor reaches step k when they have an event of step k at or
// after the time they reached step k−1 (the first such time counts), all inside the period.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { fail } from '../http/errors.js';
import { DEFAULT_STEPS, funnelOf, parseSteps } from './funnel-shape.js';
import { didYouMean, readPeriod, readSite } from './params.js';
import { ensureReportsSchema } from './schema.js';
import { VISITOR } from './sql.js';

/** One CTE per step: each visitor's first time at this step after the previous one. */
function funnelSql(n: number): string {
  const ctes: string[] = [];
  for (let i = 0; i < n; i++) {
    const events = `SELECT ${VISITOR} AS v, timestamp AS t FROM events WHERE site = ?1 AND name = ?${i + 4} AND timestamp >= ?2 AND timestamp < ?3`;
    ctes.push(
      i === 0
        ? `s0 AS MATERIALIZED (SELECT v, min(t) AS t FROM (${events}) GROUP BY v)`
        : `s${i} AS MATERIALIZED (SELECT p.v, min(e.t) AS t FROM s${i - 1} p JOIN (${events}) e ON e.v = p.v AND e.t >= p.t GROUP BY p.v)`,
    );
  }
  return `WITH ${ctes.join(',\n')} SELECT ${[...Array(n).keys()].map((i) => `(SELECT count(*) FROM s${i}) AS n${i}`).join(', ')}`;
}

/** A step no event in the log has ever had is most likely a typo: named, with the nearest known name. */
async function unknownSteps(db: D1Database, site: string, steps: string[]): Promise<void> {
  const seen = await db.batch<{ n: number }>(steps.map((s) => db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE site = ?1 AND name = ?2 LIMIT 1)').bind(site, s)));
  const missing = steps.filter((s, i) => !seen[i]!.results[0]?.n && !DEFAULT_STEPS.includes(s));
  if (!missing.length) return;
  const { results } = await db.prepare('SELECT DISTINCT name FROM events WHERE site = ?1 AND name IS NOT NULL LIMIT 500').bind(site).all<{ name: string }>();
  const known = [...DEFAULT_STEPS, ...results.map((r) => r.name)];
  const hint = didYouMean(missing[0]!, known);
  fail(400, `unknown step ${JSON.stringify(missing[0])}: no event of that name was ever logged${hint ? ` — did you mean "${hint}"?` : ''}`);
}

export function funnelRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const parsed = parseSteps(c.req.query('steps'));
    if ('problem' in parsed) fail(400, parsed.problem);
    const { steps } = parsed;
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    await unknownSteps(db, site, steps);
    const row = await db
      .prepare(funnelSql(steps.length))
      .bind(site, period.start, period.end, ...steps)
      .first<Record<string, number>>();
    const counts = steps.map((_, i) => Number(row?.[`n${i}`] ?? 0));
    return c.json({ site, period: { from: period.from, to: period.to, days: period.days }, steps: funnelOf(steps, counts) });
  });
  return app;
}
