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

export async function kpiCounts(db: D1Database, site: string, p: Period, nps: string[]): Promise<KpiCounts> {
  const before = previousOf(p);
  const [visitors, orders, repeat, churn, answers] = await db.batch<Record<string, number | null>>([
    db.prepare(`SELECT count(DISTINCT ${VISITOR}) AS n FROM events WHERE site = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND ${ACTIVE}`).bind(site, p.start, p.end),
    db
      .prepare(`SELECT count(*) AS orders, count(DISTINCT ${VISITOR}) AS buyers, total(${REVENUE}) AS revenue FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3`)
      .bind(site, p.start, p.end),
    db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT ${VISITOR} AS v FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp < ?3
           AND ${VISITOR} IN (SELECT ${VISITOR} FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3)
         GROUP BY v HAVING count(*) >= 2)`,
      )
      .bind(site, p.start, p.end),
    db
      .prepare(
        `SELECT count(*) AS buyers, total(v NOT IN (SELECT ${VISITOR} FROM events WHERE site = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND ${ACTIVE})) AS churned
         FROM (SELECT DISTINCT ${VISITOR} AS v FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?4 AND timestamp < ?2)`,
      )
      .bind(site, p.start, p.end, before.start),
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
  const one = (r: D1Result<Record<string, number | null>>) => r.results[0] ?? {};
  const n = (v: number | null | undefined) => Number(v ?? 0);
  const o = one(orders!);
  const c = one(churn!);
  const a = one(answers!);
  return {
    visitors: n(one(visitors!).n),
    orders: n(o.orders),
    buyers: n(o.buyers),
    revenue: n(o.revenue),
    repeatBuyers: n(one(repeat!).n),
    previousBuyers: n(c.buyers),
    churned: n(c.churned),
    promoters: n(a.promoters),
    passives: n(a.passives),
    detractors: n(a.detractors),
  };
}

/** Visitors, buyers, orders and revenue per UTC day of the period. */
export async function dailyCounts(db: D1Database, site: string, p: Period) {
  const [v, o] = await db.batch<{ day: string; visitors: number; orders: number; buyers: number; revenue: number }>([
    db
      .prepare(`SELECT substr(timestamp, 1, 10) AS day, count(DISTINCT ${VISITOR}) AS visitors FROM events WHERE site = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND ${ACTIVE} GROUP BY day`)
      .bind(site, p.start, p.end),
    db
      .prepare(
        `SELECT substr(timestamp, 1, 10) AS day, count(*) AS orders, count(DISTINCT ${VISITOR}) AS buyers, total(${REVENUE}) AS revenue FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3 GROUP BY day`,
      )
      .bind(site, p.start, p.end),
  ]);
  return { visitors: v!.results, orders: o!.results };
}
