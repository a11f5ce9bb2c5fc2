// The SQL behind the KPIs: one D1 batch (one round trip) per period.
import type { AttuneConfig } from '../contract/config.js';
import type { KpiCounts } from './kpis.js';
import { previousOf, type Period } from './params.js';
import { ORDER, REVENUE, SYSTEM_EVENTS, VISITOR } from './sql.js';

/** The ids of the config's NPS questions (type "nps"); `nps` when the config names none. */
export function npsQuestions(config: AttuneConfig): string[] {
  const ids = config.quizzes.flatMap((q) => q.questions.filter((x) => x.type === 'nps').map((x) => x.id));
  return ids.length ? [...new Set(ids)] : ['nps'];
}

const ACTIVE = `(name IS NULL OR name NOT IN ${SYSTEM_EVENTS})`;

/**
 * One scan of the period's index entries gives the distinct (day, visitor) pairs; visitors, the churn of the
 * previous period's buyers and the daily visitors all come from that one set. The first row (day 'all')
 * holds the totals, the others one day each.
 */
const VISITORS_AND_CHURN = `
WITH vd AS MATERIALIZED (
  SELECT substr(timestamp, 1, 10) AS day, ${VISITOR} AS v FROM events
  WHERE site = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND ${ACTIVE} GROUP BY day, v),
cur AS MATERIALIZED (SELECT DISTINCT v FROM vd),
pb AS MATERIALIZED (SELECT DISTINCT ${VISITOR} AS v FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?4 AND timestamp < ?2)
SELECT 'all' AS day, (SELECT count(*) FROM cur) AS visitors, (SELECT count(*) FROM pb) AS buyers,
       (SELECT count(*) FROM pb WHERE v NOT IN (SELECT v FROM cur)) AS churned
UNION ALL SELECT day, count(*), NULL, NULL FROM vd GROUP BY day`;

export type Daily = { visitors: { day: string; visitors: number }[]; orders: { day: string; orders: number; buyers: number; revenue: number }[] };

export async function kpiCounts(db: D1Database, site: string, p: Period, nps: string[]): Promise<KpiCounts & { daily: Daily }> {
  const before = previousOf(p);
  const [visitors, orders, repeat, answers] = await db.batch<Record<string, number | string | null>>([
    db.prepare(VISITORS_AND_CHURN).bind(site, p.start, p.end, before.start),
    db
      .prepare(
        `SELECT substr(timestamp, 1, 10) AS day, count(*) AS orders, count(DISTINCT ${VISITOR}) AS buyers, total(${REVENUE}) AS revenue FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3 GROUP BY day`,
      )
      .bind(site, p.start, p.end),
    db
      .prepare(
        `SELECT count(*) AS buyers, total(n >= 2) AS repeat FROM (
           SELECT count(*) AS n FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp < ?3
             AND ${VISITOR} IN (SELECT ${VISITOR} FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3)
           GROUP BY ${VISITOR})`,
      )
      .bind(site, p.start, p.end),
    // Each respondent counts once, with the latest answer; answers that are not 0–10 are left out.
    db
      .prepare(
        `SELECT total(a >= 9) AS promoters, total(a >= 7 AND a < 9) AS passives, total(a <= 6) AS detractors FROM (
           SELECT CAST(answer AS REAL) AS a FROM (
             SELECT json_extract(body, '$.properties.answer') AS answer,
                    row_number() OVER (PARTITION BY ${VISITOR} ORDER BY timestamp DESC, message_id DESC) AS rn
             FROM events WHERE site = ?1 AND name = 'Question Answered' AND timestamp >= ?2 AND timestamp < ?3
               AND json_extract(body, '$.properties.question') IN (SELECT value FROM json_each(?4)))
           WHERE rn = 1 AND (typeof(answer) IN ('integer', 'real') OR trim(answer) GLOB '[0-9]' OR trim(answer) = '10'))
         WHERE a BETWEEN 0 AND 10`,
      )
      .bind(site, p.start, p.end, JSON.stringify(nps)),
  ]);
  const n = (v: unknown) => Number(v ?? 0);
  const [all, ...days] = visitors!.results;
  const byDay = orders!.results as Daily['orders'];
  const r = repeat!.results[0] ?? {};
  const a = answers!.results[0] ?? {};
  return {
    visitors: n(all?.visitors),
    orders: byDay.reduce((s, d) => s + n(d.orders), 0),
    // Buyers of the period (distinct over the whole period, not a sum of the days').
    buyers: n(r.buyers),
    revenue: byDay.reduce((s, d) => s + n(d.revenue), 0),
    repeatBuyers: n(r.repeat),
    previousBuyers: n(all?.buyers),
    churned: n(all?.churned),
    promoters: n(a.promoters),
    passives: n(a.passives),
    detractors: n(a.detractors),
    daily: { visitors: days.map((d) => ({ day: String(d.day), visitors: n(d.visitors) })), orders: byDay },
  };
}
