// Behaviour features of each profile, from the event log. A profile = a user id when any of the
// anonymous id's events carries one (so a shopper's devices count as one), else the anonymous id.
import type { DiscoveryFeature } from '../contract/reports.js';

export type ProfileFeatures = Record<DiscoveryFeature, number> & { id: string; daysSinceLastOrder: number | null };

export const PROFILE_FEATURES = `
WITH ids AS (
  SELECT anonymous_id AS a, max(user_id) AS u FROM events WHERE site = ?1 AND anonymous_id IS NOT NULL GROUP BY anonymous_id
),
keyed AS (
  SELECT coalesce('u:' || coalesce(ids.u, e.user_id), 'a:' || e.anonymous_id) AS pid, e.type, e.name, e.timestamp, e.body
  FROM events e LEFT JOIN ids ON ids.a = e.anonymous_id
  WHERE e.site = ?1
)
SELECT pid, max(timestamp) AS last_at,
  sum(type = 'track' AND name = 'Order Completed') AS orders,
  sum(CASE WHEN type = 'track' AND name = 'Order Completed'
      THEN coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total'), 0) ELSE 0 END) AS revenue,
  max(CASE WHEN type = 'track' AND name = 'Order Completed' THEN timestamp END) AS last_order_at,
  sum(type = 'track' AND name = 'Product Viewed') AS product_views,
  sum(type = 'track' AND name = 'Product Added') AS cart_adds,
  sum(type = 'track' AND name = 'Question Answered') AS quiz_answers
FROM keyed WHERE pid IS NOT NULL GROUP BY pid`;

export type FeatureRow = {
  pid: string;
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

export async function loadFeatures(db: D1Database, site: string, now = Date.now()): Promise<ProfileFeatures[]> {
  const { results } = await db.prepare(PROFILE_FEATURES).bind(site).all<FeatureRow>();
  return results.map((r) => toFeatures(r, now));
}
