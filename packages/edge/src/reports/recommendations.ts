// GET /v1/reports/recommendations?site=&from=&to=&window=7: per strategy, list views (`Product List Viewed`),
// clicks (`Product Clicked`), CTR = clicks / views, and attributed orders.
// Attribution: an `Order Completed` of the same visitor that contains the clicked product and happens within
// `window` days after a click in the period (the order may fall after the period's end). When several clicks
// qualify, the latest click before the order gets it (last click), so an order counts once.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readInt, readPeriod, readSite, DAY_MS } from './params.js';
import { strategyRows, type StrategyCounts } from './recommendations-shape.js';
import { ensureReportsSchema } from './schema.js';
import { ORDER, REVENUE, VISITOR } from './sql.js';

const STRATEGY = `json_extract(body, '$.properties.strategy')`;
/** The product id of an object at `path` of `json`, as the profile's commerce facts read it. */
const ITEM = (json: string, path = '$') => `coalesce(json_extract(${json}, '${path}.product_id'), json_extract(${json}, '${path}.sku'), json_extract(${json}, '${path}.id'))`;

const ATTRIBUTED = `
WITH clicks AS MATERIALIZED (
  SELECT ${VISITOR} AS v, timestamp AS t, ${STRATEGY} AS s, ${ITEM('body', '$.properties')} AS p
  FROM events WHERE site = ?1 AND name = 'Product Clicked' AND timestamp >= ?2 AND timestamp < ?3 AND ${STRATEGY} IS NOT NULL),
orders AS MATERIALIZED (
  SELECT ${VISITOR} AS v, timestamp AS t, message_id AS id, ${REVENUE} AS revenue, body
  FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?4 AND ${VISITOR} IN (SELECT v FROM clicks)),
matched AS (
  SELECT o.id, o.revenue, c.s, row_number() OVER (PARTITION BY o.id ORDER BY c.t DESC) AS rn
  FROM orders o JOIN clicks c ON c.v = o.v AND c.t <= o.t AND o.t < strftime('%Y-%m-%dT%H:%M:%fZ', c.t, '+' || ?5 || ' days')
  WHERE EXISTS (SELECT 1 FROM json_each(o.body, '$.properties.products') j WHERE ${ITEM('j.value')} = c.p))
SELECT s AS strategy, count(*) AS orders, total(revenue) AS revenue FROM matched WHERE rn = 1 GROUP BY s`;

export function recommendationRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const window = readInt(c, 'window', 7, 1, 90);
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const until = new Date(Date.parse(period.end) + window * DAY_MS).toISOString();
    const [views, clicks, orders] = await db.batch<StrategyCounts>([
      db
        .prepare(`SELECT ${STRATEGY} AS strategy, count(*) AS views, count(DISTINCT ${VISITOR}) AS viewers FROM events WHERE site = ?1 AND name = 'Product List Viewed' AND timestamp >= ?2 AND timestamp < ?3 AND strategy IS NOT NULL GROUP BY strategy`)
        .bind(site, period.start, period.end),
      db
        .prepare(`SELECT ${STRATEGY} AS strategy, count(*) AS clicks, count(DISTINCT ${VISITOR}) AS clickers FROM events WHERE site = ?1 AND name = 'Product Clicked' AND timestamp >= ?2 AND timestamp < ?3 AND strategy IS NOT NULL GROUP BY strategy`)
        .bind(site, period.start, period.end),
      db.prepare(ATTRIBUTED).bind(site, period.start, period.end, until, window),
    ]);
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      windowDays: window,
      strategies: strategyRows(views!.results, clicks!.results, orders!.results),
    });
  });
  return app;
}
