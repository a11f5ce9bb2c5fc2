// Behaviour features of each profile, from the event log. A profile = a user id when any of the
// anonymous id's events carries one (so a shopper's devices count as one), else the anonymous id.
import type { DiscoveryFeature } from '../../contract/reports.js';
import { Binds, readReport, type ReadPlan, type Source } from '../rollups/read.js';
import { ANONYMOUS_COLS, anonymousDayRows, USER_COLS, userDayRows } from '../rollups/rows.js';

/** After any event's timestamp. */
const END = '9999';

/** `id`: the profile's, when the caller has it (the report reads the features without: 60,000 strings less). */
export type ProfileFeatures = Record<DiscoveryFeature, number> & { id?: string | undefined; daysSinceLastOrder: number | null };

/**
 * One row per profile over the whole log. `rows`: the anonymous ids' rows (report_anonymous_days of closed
 * days, anonymousDayRows for the rest); a profile is its user id when any row of the anonymous id carries one.
 * `users`: the same per user id for events without an anonymous id (a server's): report_user_days, userDayRows.
 */
export const profileFeatures = (rows: string, users: string) => `
WITH anonymous AS (
  SELECT visitor, max(uid) AS u, max(last_at) AS last_at, sum(orders) AS orders, sum(revenue) AS revenue, max(last_order_at) AS last_order_at,
         sum(product_views) AS product_views, sum(cart_adds) AS cart_adds, sum(quiz_answers) AS quiz_answers
  FROM (${rows}) GROUP BY visitor
),
keyed AS (
  SELECT coalesce('u:' || u, 'a:' || visitor) AS pid, last_at, orders, revenue, last_order_at, product_views, cart_adds, quiz_answers FROM anonymous
  UNION ALL
  SELECT 'u:' || uid, max(last_at), sum(orders), sum(revenue), max(last_order_at), sum(product_views), sum(cart_adds), sum(quiz_answers)
  FROM (${users}) GROUP BY uid
)
SELECT pid, max(last_at) AS last_at, sum(orders) AS orders, sum(revenue) AS revenue, max(last_order_at) AS last_order_at,
  sum(product_views) AS product_views, sum(cart_adds) AS cart_adds, sum(quiz_answers) AS quiz_answers
FROM keyed GROUP BY pid`;

/**
 * The same rows as JSON arrays of tuples, TUPLES_PER_VALUE to a value: D1 hands a result over row by row and
 * column by column, which for 60,000 profiles cost about as much as the query (~0.2 s locally), while a few
 * strings are parsed at once. One value for all of them broke D1's limit on a value's size (SQLITE_TOOBIG).
 */
export const FEATURE_TUPLE = ['last_at', 'orders', 'revenue', 'last_order_at', 'product_views', 'cart_adds', 'quiz_answers'] as const;
const TUPLES_PER_VALUE = 2000;
export const profileFeatureTuples = (rows: string, users: string, perValue = TUPLES_PER_VALUE) =>
  `SELECT json_group_array(json_array(${FEATURE_TUPLE.join(', ')})) AS tuples
   FROM (SELECT *, (row_number() OVER ()) / ${Math.max(1, Math.floor(perValue))} AS part FROM (${profileFeatures(rows, users)})) GROUP BY part`;

type Tuple = [string, number, number | string | null, string | null, number, number, number];

export type FeatureRow = {
  pid?: string;
  last_at: string;
  orders: number;
  revenue: number | string | null;
  last_order_at: string | null;
  product_views: number;
  cart_adds: number;
  quiz_answers: number;
};

const DAY_MS = 86_400_000;
const days = (at: string, now: number) => Math.max(0, (now - Date.parse(at)) / DAY_MS);

export function toFeatures(r: FeatureRow, now: number): ProfileFeatures {
  const revenue = Number(r.revenue);
  // One literal, one shape: a spread in front left V8 with objects whose property reads by name cost ~0.3 µs.
  return {
    id: r.pid,
    recencyDays: days(r.last_at, now),
    orders: r.orders,
    revenue: Number.isFinite(revenue) ? revenue : 0,
    productViews: r.product_views,
    cartAdds: r.cart_adds,
    quizAnswers: r.quiz_answers,
    daysSinceLastOrder: r.last_order_at ? days(r.last_order_at, now) : null,
  };
}

/** The rows profileFeatures reads: closed days from the rollups, the rest (today and later) from the events. */
export function featureRows(plan: ReadPlan, b: Binds): { rows: string; users: string } {
  const days = (table: string, cols: string) => (plan.firstDay ? `SELECT ${cols} FROM ${table} WHERE site = ?1 AND day >= ${b.add(plan.firstDay)} AND day < ${b.add(plan.splitDay)} UNION ALL ` : '');
  return {
    rows: `${days('report_anonymous_days', ANONYMOUS_COLS)}SELECT ${ANONYMOUS_COLS} FROM (${anonymousDayRows('?1', b.add(plan.split), b.add(END))})`,
    users: `${days('report_user_days', USER_COLS)}SELECT ${USER_COLS} FROM (${userDayRows('?1', b.add(plan.split), b.add(END))})`,
  };
}

/** Every profile's features: closed days from the per-day rollup, today (and anything later) from the events. */
export async function loadFeatures(db: D1Database, site: string, source: Source = 'rollup', now = Date.now()): Promise<ProfileFeatures[]> {
  const results = await readReport(
    db,
    site,
    source,
    async (plan, check) => {
      const b = new Binds(site);
      const { rows: anonymous, users } = featureRows(plan, b);
      const [checked, rows] = await db.batch([check, db.prepare(profileFeatureTuples(anonymous, users)).bind(...b.values)]);
      const tuples = (rows!.results as { tuples: string }[]).flatMap((r) => JSON.parse(r.tuples) as Tuple[]);
      return { value: tuples.map(([last_at, orders, revenue, last_order_at, product_views, cart_adds, quiz_answers]): FeatureRow => ({ last_at, orders, revenue, last_order_at, product_views, cart_adds, quiz_answers })), checked: checked! };
    },
    now,
  );
  return results.map((r) => toFeatures(r, now));
}
