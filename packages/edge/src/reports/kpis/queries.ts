// The SQL behind the KPIs: one D1 batch (one round trip) for all the periods a report compares.
import type { AttuneConfig } from '../../contract/config.js';
import type { KpiCounts } from './shape.js';
import { previousOf, type Period } from '../params.js';
import { readReport, rowsOf, Binds, type ReadPlan, type Source } from '../rollups/read.js';
import { ANSWER_COLS, answerRows, buyerDayRows, orderDayRows, visitorDayRows } from '../rollups/rows.js';

/** The ids of the config's NPS questions (type "nps"); `nps` when the config names none. */
export function npsQuestions(config: AttuneConfig): string[] {
  const ids = config.quizzes.flatMap((q) => q.questions.filter((x) => x.type === 'nps').map((x) => x.id));
  return ids.length ? [...new Set(ids)] : ['nps'];
}

/**
 * Visitors, buyers, repeat buyers and churn of a period from (day, visitor, orders) rows: the rollup's for
 * closed days, the events' for today. The first row (day 'all') holds the totals, the others one day each.
 */
function visitorsSql(plan: ReadPlan, b: Binds, p: Period): string {
  const before = previousOf(p);
  const vdays = (lo: string, hi: string) => rowsOf(plan, b, 'report_visitor_days', 'day, visitor, orders', visitorDayRows, lo, hi);
  const buyerDays = (lo: string, hi: string) => rowsOf(plan, b, 'report_visitor_days', 'day, visitor, orders', buyerDayRows, lo, hi, 'orders > 0');
  return `
WITH vd AS MATERIALIZED (${vdays(p.start, p.end)}),
cur AS MATERIALIZED (SELECT DISTINCT visitor AS v FROM vd),
buyers AS MATERIALIZED (SELECT DISTINCT visitor AS v FROM vd WHERE orders > 0),
pb AS MATERIALIZED (SELECT DISTINCT visitor AS v FROM (${buyerDays(before.start, p.start)})),
ever AS MATERIALIZED (SELECT visitor AS v, sum(orders) AS n FROM (${buyerDays('', p.end)}) WHERE visitor IN (SELECT v FROM buyers) GROUP BY visitor)
SELECT 'all' AS day, (SELECT count(*) FROM cur) AS visitors, (SELECT count(*) FROM buyers) AS buyers,
       (SELECT count(*) FROM ever WHERE n >= 2) AS repeat, (SELECT count(*) FROM pb) AS previous_buyers,
       (SELECT count(*) FROM pb WHERE v NOT IN (SELECT v FROM cur)) AS churned
UNION ALL SELECT day, count(*), count(CASE WHEN orders > 0 THEN 1 END), NULL, NULL, NULL FROM vd GROUP BY day`;
}

/**
 * Each respondent counts once, with the latest answer; answers that are not 0–10 are left out. Closed days give
 * each respondent's latest answer per day and question (report_answers), the rest the events by the same row SQL:
 * the latest of the latest is the latest.
 */
function npsSql(plan: ReadPlan, b: Binds, p: Period, nps: string[]): string {
  const questions = b.add(JSON.stringify(nps));
  const rows = rowsOf(plan, b, 'report_answers', ANSWER_COLS, answerRows, p.start, p.end, `question IN (SELECT value FROM json_each(${questions}))`);
  return `SELECT total(a >= 9) AS promoters, total(a >= 7 AND a < 9) AS passives, total(a <= 6) AS detractors FROM (
  SELECT CAST(answer AS REAL) AS a FROM (
    SELECT answer, row_number() OVER (PARTITION BY visitor ORDER BY at DESC, message_id DESC) AS rn FROM (${rows}))
  WHERE rn = 1 AND (typeof(answer) IN ('integer', 'real') OR trim(answer) GLOB '[0-9]' OR trim(answer) = '10'))
WHERE a BETWEEN 0 AND 10`;
}

export type Daily = { visitors: { day: string; visitors: number }[]; orders: { day: string; orders: number; buyers: number; revenue: number }[] };
export type KpiResult = KpiCounts & { daily: Daily };

/** The statements of one period's KPIs, to run in the caller's batch, and how to read their results. */
export function kpiStatements(db: D1Database, plan: ReadPlan, site: string, p: Period, nps: string[]) {
  const vb = new Binds(site);
  const visitors = visitorsSql(plan, vb, p);
  const ob = new Binds(site);
  const nb = new Binds(site);
  const orders = rowsOf(plan, ob, 'report_days', 'day, orders, revenue', orderDayRows, p.start, p.end, 'orders > 0');
  const statements = [
    db.prepare(visitors).bind(...vb.values),
    db.prepare(`SELECT day, orders, revenue FROM (${orders}) ORDER BY day`).bind(...ob.values),
    db.prepare(npsSql(plan, nb, p, nps)).bind(...nb.values),
  ];
  const parse = (results: D1Result[]): KpiResult => {
    const n = (v: unknown) => Number(v ?? 0);
    const [all, ...days] = results[0]!.results as Record<string, number | string | null>[];
    const buyersOn = new Map(days.map((d) => [String(d.day), n(d.buyers)]));
    const byDay = (results[1]!.results as { day: string; orders: number; revenue: number }[]).map((d) => ({ day: d.day, orders: n(d.orders), buyers: buyersOn.get(d.day) ?? 0, revenue: n(d.revenue) }));
    const a = (results[2]!.results[0] ?? {}) as Record<string, number>;
    return {
      visitors: n(all?.visitors),
      orders: byDay.reduce((s, d) => s + d.orders, 0),
      // Buyers of the period (distinct over the whole period, not a sum of the days').
      buyers: n(all?.buyers),
      revenue: byDay.reduce((s, d) => s + d.revenue, 0),
      repeatBuyers: n(all?.repeat),
      previousBuyers: n(all?.previous_buyers),
      churned: n(all?.churned),
      promoters: n(a.promoters),
      passives: n(a.passives),
      detractors: n(a.detractors),
      daily: { visitors: days.map((d) => ({ day: String(d.day), visitors: n(d.visitors) })), orders: byDay },
    };
  };
  return { statements, parse };
}

/** The KPIs of several periods in one D1 batch (one round trip, one snapshot), rollups where they are ready. */
export function kpiCounts(db: D1Database, site: string, source: Source, periods: Period[], nps: string[], now = Date.now()): Promise<KpiResult[]> {
  return readReport(
    db,
    site,
    source,
    async (plan, check) => {
      const parts = periods.map((p) => kpiStatements(db, plan, site, p, nps));
      const results = await db.batch([...parts.flatMap((x) => x.statements), check]);
      const per = parts.map((x, i) => x.parse(results.slice(i * 3, i * 3 + 3)));
      return { value: per, checked: results.at(-1)! };
    },
    now,
  );
}
