// The rows a closed day's rollup holds, as SQL over the events of a time range [lo, hi). The same fragments
// build the rollups (build.ts) and give today's rows live (read.ts), so a report over rollups
// and one over the raw log aggregate the very same rows: they agree by construction, and a test checks it.
// Arguments are SQL placeholders (`?1`, `?7`): the caller numbers its bindings.
import { ORDER, REVENUE, SYSTEM_EVENTS, VISITOR } from '../sql.js';

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

/** The columns of nameDayRows (and report_name_days). */
export const NAME_COLS = 'name, day, visitor, uid, flags, times';
/** flags of a report_name_days row: its events are `track` events. */
export const TRACK_FLAG = 1;
/** flags of a report_name_days row: its events carry an anonymous id (the visitor is that id). */
export const ANONYMOUS_FLAG = 2;

/**
 * Per day, event name, visitor, user id ('' without) and kind (flags): the JSON array of the events' times, for
 * the funnel (every visitor's times of a step) and the experiments' goals (the latest per visitor and user id).
 */
export const nameDayRows = (site: string, lo: string, hi: string) =>
  `SELECT name, ${DAY} AS day, ${VISITOR} AS visitor, coalesce(user_id, '') AS uid,
          (type = 'track') * ${TRACK_FLAG} + (anonymous_id IS NOT NULL) * ${ANONYMOUS_FLAG} AS flags, json_group_array(timestamp) AS times
   FROM events WHERE ${range(site, lo, hi)} AND name IS NOT NULL AND ${VISITOR} IS NOT NULL GROUP BY name, day, visitor, uid, flags`;

/** The columns of exposureRows (and report_exposures). */
export const EXPOSURE_COLS = 'experiment, day, visitor, arm, first_at';
/** Per day, experiment, anonymous id and arm: the first `Experiment Viewed`. */
export const exposureRows = (site: string, lo: string, hi: string) =>
  `SELECT experiment, day, visitor, arm, first_at FROM (
     SELECT json_extract(body, '$.properties.experiment_id') AS experiment, ${DAY} AS day, anonymous_id AS visitor,
            json_extract(body, '$.properties.variant_id') AS arm, min(timestamp) AS first_at
     FROM events WHERE site = ${site} AND name = 'Experiment Viewed' AND timestamp >= ${lo} AND timestamp < ${hi} AND type = 'track' AND anonymous_id IS NOT NULL
     GROUP BY experiment, day, visitor, arm)
   WHERE experiment IS NOT NULL`;

/** The columns of answerRows (and report_answers). */
export const ANSWER_COLS = 'day, question, visitor, at, message_id, answer';
/** Per day, question and respondent ('' without an id): the latest `Question Answered` (ties: the larger message id). */
export const answerRows = (site: string, lo: string, hi: string) =>
  `SELECT day, question, visitor, at, message_id, answer FROM (
     SELECT ${DAY} AS day, json_extract(body, '$.properties.question') AS question, coalesce(${VISITOR}, '') AS visitor, timestamp AS at, message_id,
            json_extract(body, '$.properties.answer') AS answer,
            row_number() OVER (PARTITION BY ${DAY}, json_extract(body, '$.properties.question'), coalesce(${VISITOR}, '') ORDER BY timestamp DESC, message_id DESC) AS rn
     FROM events WHERE site = ${site} AND name = 'Question Answered' AND timestamp >= ${lo} AND timestamp < ${hi})
   WHERE rn = 1 AND question IS NOT NULL`;

/** The columns of orderRows (and report_orders). */
export const ORDER_COLS = 'day, message_id, visitor, at, revenue, items';
/** Every `Order Completed`: visitor, time, revenue and the ids of its products (a JSON array), for attribution. */
export const orderRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, message_id, ${VISITOR} AS visitor, timestamp AS at, ${REVENUE} AS revenue,
          (SELECT json_group_array(${ITEM('j.value')}) FROM json_each(body, '$.properties.products') j) AS items
   FROM events WHERE site = ${site} AND name = '${ORDER}' AND timestamp >= ${lo} AND timestamp < ${hi}`;

/** The columns of userDayRows (and report_user_days). */
export const USER_COLS = 'uid, last_at, orders, revenue, last_order_at, product_views, cart_adds, quiz_answers';
/** Per day and user id, the events without an anonymous id (a server's): segment discovery's features. */
export const userDayRows = (site: string, lo: string, hi: string) =>
  `SELECT ${DAY} AS day, user_id AS uid, max(timestamp) AS last_at, sum(${TRACKED(ORDER)}) AS orders,
          sum(CASE WHEN ${TRACKED(ORDER)} THEN ${REVENUE} ELSE 0 END) AS revenue,
          max(CASE WHEN ${TRACKED(ORDER)} THEN timestamp END) AS last_order_at,
          sum(${TRACKED('Product Viewed')}) AS product_views, sum(${TRACKED('Product Added')}) AS cart_adds, sum(${TRACKED('Question Answered')}) AS quiz_answers
   FROM events INDEXED BY events_site_anonymous WHERE site = ${site} AND anonymous_id IS NULL AND user_id IS NOT NULL AND timestamp >= ${lo} AND timestamp < ${hi}
   GROUP BY day, uid`;

/** Distinct (user id, anonymous id) pairs of a time range, with their last day: report_links. */
export const linkRows = (site: string, lo: string, hi: string) =>
  `SELECT user_id AS uid, anonymous_id AS visitor, max(${DAY}) AS day FROM events
   WHERE ${range(site, lo, hi)} AND user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY uid, visitor`;
