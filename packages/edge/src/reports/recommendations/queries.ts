// The recommendations report's SQL (route: routes.ts): per strategy, list views (`Product List Viewed`),
// clicks (`Product Clicked`), CTR = clicks / views, and attributed orders.
// Attribution: an `Order Completed` of the same visitor that contains the clicked product and happens within
// `window` days after a click in the period (the order may fall after the period's end). When several clicks
// qualify, the latest click before the order gets it (last click), so an order counts once.
import { DAY_MS, type Period } from '../params.js';
import type { StrategyCounts } from './shape.js';
import { Binds, readReport, rowsOf, type ReadPlan, type Source } from '../rollups/read.js';
import { clickRows, ORDER_COLS, orderRows, strategyDayRows } from '../rollups/rows.js';

/**
 * Last-click attribution of orders to the clicks of the period. Clicks and orders (visitor, time, revenue, product
 * ids) are rollup rows for closed days and the same rows from the events for the rest.
 */
function attributedSql(plan: ReadPlan, b: Binds, period: Period, until: string, window: number): string {
  const clicks = rowsOf(plan, b, 'report_clicks', 'day, message_id, visitor, at, strategy, product', clickRows, period.start, period.end);
  const orders = rowsOf(plan, b, 'report_orders', ORDER_COLS, orderRows, period.start, until, 'visitor IN (SELECT v FROM clicks)');
  return `
WITH clicks AS MATERIALIZED (SELECT visitor AS v, at AS t, strategy AS s, product AS p FROM (${clicks})),
orders AS MATERIALIZED (SELECT visitor AS v, at AS t, message_id AS id, revenue, items FROM (${orders})),
matched AS (
  SELECT o.id, o.revenue, c.s, row_number() OVER (PARTITION BY o.id ORDER BY c.t DESC) AS rn
  FROM orders o JOIN clicks c ON c.v = o.v AND c.t <= o.t AND o.t < strftime('%Y-%m-%dT%H:%M:%fZ', c.t, '+' || ${b.add(window)} || ' days')
  WHERE EXISTS (SELECT 1 FROM json_each(o.items) j WHERE j.value = c.p))
SELECT s AS strategy, count(*) AS orders, total(revenue) AS revenue FROM matched WHERE rn = 1 GROUP BY s`;
}

/** List views and clicks per strategy, with distinct viewers and clickers. */
function viewsSql(plan: ReadPlan, b: Binds, period: Period): string {
  const rows = rowsOf(plan, b, 'report_strategy_days', 'day, strategy, visitor, views, clicks', strategyDayRows, period.start, period.end);
  return `SELECT strategy, sum(views) AS views, count(DISTINCT CASE WHEN views > 0 THEN nullif(visitor, '') END) AS viewers,
    sum(clicks) AS clicks, count(DISTINCT CASE WHEN clicks > 0 THEN nullif(visitor, '') END) AS clickers FROM (${rows}) GROUP BY strategy`;
}

/** Views and clicks per strategy, and the orders attributed to them: closed days from the rollups. */
export function strategyCounts(db: D1Database, site: string, source: Source, period: Period, window: number, now = Date.now()) {
  const until = new Date(Date.parse(period.end) + window * DAY_MS).toISOString();
  return readReport(
    db,
    site,
    source,
    async (plan, check) => {
      const [vb, ab] = [new Binds(site), new Binds(site)];
      const [views, attributed, checked] = await db.batch<StrategyCounts>([
        db.prepare(viewsSql(plan, vb, period)).bind(...vb.values),
        db.prepare(attributedSql(plan, ab, period, until, window)).bind(...ab.values),
        check,
      ]);
      return { value: [views!.results, attributed!.results] as const, checked: checked! };
    },
    now,
  );
}
