// The rows a closed day's rollup holds, as SQL over the events of a time range [lo, hi). The same fragments
// build the rollups (rollup-build.ts) and give today's rows live (rollup-read.ts), so a report over rollups
// and one over the raw log aggregate the very same rows: they agree by construction, and a test checks it.
// Arguments are SQL placeholders (`?1`, `?7`): the caller numbers its bindings.
import { ORDER, REVENUE, SYSTEM_EVENTS, VISITOR } from './sql.js';

const range = (site: string, lo: string, hi: string) => `site = ${site} AND timestamp >= ${lo} AND timestamp < ${hi}`;
const DAY = 'substr(timestamp, 1, 10)';
const STRATEGY = `json_extract(body, '$.properties.strategy')`;
/** The product id of an object at `path` of `json`, as the profile's commerce facts read it. */
export const ITEM = (json: string, path = '$') => `coalesce(json_extract(${json}, '${path}.product_id'), json_extract(${json}, '${path}.sku'), json_extract(${json}, '${path}.id'))`;

/** One row per day and visitor with any event of their own (not the writer's segment events): day, visitor, orders. */
export const visitorDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, ${VISITOR} AS visitor, count(CASE WHEN name = '${ORDER}' THEN 1 END) AS orders FROM events
   WHERE ${range(site, lo, hi)} AND (name IS NULL OR name NOT IN ${SYSTEM_EVENTS}) AND ${VISITOR} IS NOT NULL GROUP BY day, visitor`;

/** The rows of visitorDayRows with orders > 0, read from the orders alone (the same rows, far fewer events). */
export const buyerDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, ${VISITOR} AS visitor, count(*) AS orders FROM events
   WHERE site = ${site} AND name = '${ORDER}' AND timestamp >= ${lo} AND timestamp < ${hi} AND ${VISITOR} IS NOT NULL GROUP BY day, visitor`;

/** Orders and revenue per day. `total()` over the same rows in the same (index) order: the same sum to the bit. */
export const orderDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, count(*) AS orders, total(${REVENUE}) AS revenue FROM events WHERE site = ${site} AND name = '${ORDER}' AND timestamp >= ${lo} AND timestamp < ${hi} GROUP BY day`;

/** Entries and exits per day and segment, from the writer's `Segment Entered` / `Segment Exited`. */
export const segmentDayRows = (site: string, lo: string, hi: string) =>
  `SELECT day, segment, entered, exited FROM (
     SELECT ${DAY} AS day, json_extract(body, '$.properties.segment_id') AS segment,
            count(CASE WHEN name = 'Segment Entered' THEN 1 END) AS entered, count(CASE WHEN name = 'Segment Exited' THEN 1 END) AS exited
     FROM events WHERE site = ${site} AND name IN ('Segment Entered', 'Segment Exited') AND timestamp >= ${lo} AND timestamp < ${hi} GROUP BY segment, day)
   WHERE typeof(segment) = 'text'`;

/** Recommendation list views and clicks per day, strategy and visitor ('' when the event has no id). */
export const strategyDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, ${STRATEGY} AS strategy, coalesce(${VISITOR}, '') AS visitor,
          count(CASE WHEN name = 'Product List Viewed' THEN 1 END) AS views, count(CASE WHEN name = 'Product Clicked' THEN 1 END) AS clicks
   FROM events WHERE site = ${site} AND name IN ('Product List Viewed', 'Product Clicked') AND timestamp >= ${lo} AND timestamp < ${hi} AND ${STRATEGY} IS NOT NULL
   GROUP BY day, strategy, visitor`;

/** Each click on a recommended product, without its JSON body: what attribution joins orders with. */
export const clickRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, message_id, ${VISITOR} AS visitor, timestamp AS at, ${STRATEGY} AS strategy, ${ITEM('body', '$.properties')} AS product
   FROM events WHERE site = ${site} AND name = 'Product Clicked' AND timestamp >= ${lo} AND timestamp < ${hi} AND ${STRATEGY} IS NOT NULL`;

const NO_REVENUE = `coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total')) IS NULL`;
const NO_PRODUCTS = `coalesce(json_array_length(body, '$.properties.products'), 0) = 0`;
/** Orders the revenue and recommendation reports cannot use, per day, issue and visitor ('' without an id). */
export const orderIssueRows = (site: string, lo: string, hi: string) =>
  `SELECT day, issue, path, visitor, count(*) AS events FROM (
     SELECT ${DAY} AS day, 'order without revenue' AS issue, 'properties.revenue' AS path, coalesce(${VISITOR}, '') AS visitor
     FROM events WHERE site = ${site} AND name = '${ORDER}' AND timestamp >= ${lo} AND timestamp < ${hi} AND ${NO_REVENUE}
     UNION ALL
     SELECT ${DAY}, 'order without products', 'properties.products', coalesce(${VISITOR}, '')
     FROM events WHERE site = ${site} AND name = '${ORDER}' AND timestamp >= ${lo} AND timestamp < ${hi} AND ${NO_PRODUCTS})
   GROUP BY day, issue, path, visitor`;

const CONTACT = ['email', 'phone', 'mobile', 'phoneNumber', 'phone_number'].map((k) => `json_extract(body, '$.traits.${k}') IS NOT NULL`).join(' OR ');
/** Identifies with contact traits, for the trait checks (done in JS, by ingest's own cleaning). */
export const identifyRows = (site: string, lo: string, hi: string) =>
  // identify events have no name: the (site, name, timestamp) index finds them as name IS NULL.
  `SELECT ${DAY} AS day, ${VISITOR} AS v, json_extract(body, '$.traits') AS traits, json_extract(body, '$.context.locale') AS locale
   FROM events WHERE site = ${site} AND name IS NULL AND timestamp >= ${lo} AND timestamp < ${hi} AND type = 'identify' AND (${CONTACT})`;

const TRACKED = (event: string) => `type = 'track' AND name = '${event}'`;
/** The columns of anonymousDayRows (and report_anonymous_days) after the day. */
export const ANONYMOUS_COLS = 'visitor, uid, ordered, personalized, last_at, orders, revenue, last_order_at, product_views, cart_adds, quiz_answers';

/**
 * Per day and anonymous id, from every event (the writer's too, as the holdout and discovery count them): the
 * largest user id; for the experiment report's holdout whether it sent an order and the largest personalization
 * consent (absent = 1); for segment discovery the last event, orders, revenue, last order and behaviour counts.
 * Maxima of maxima and sums of sums: a visitor over any run of days is the max / sum of its days' rows.
 */
export const anonymousDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, anonymous_id AS visitor, max(user_id) AS uid, max(${TRACKED(ORDER)}) AS ordered,
          max(coalesce(json_extract(body, '$.context.consent.personalization'), 1)) AS personalized,
          max(timestamp) AS last_at, sum(${TRACKED(ORDER)}) AS orders,
          sum(CASE WHEN ${TRACKED(ORDER)} THEN coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total'), 0) ELSE 0 END) AS revenue,
          max(CASE WHEN ${TRACKED(ORDER)} THEN timestamp END) AS last_order_at,
          sum(${TRACKED('Product Viewed')}) AS product_views, sum(${TRACKED('Product Added')}) AS cart_adds, sum(${TRACKED('Question Answered')}) AS quiz_answers
   FROM events WHERE ${range(site, lo, hi)} AND anonymous_id IS NOT NULL GROUP BY day, visitor`;
