// Per-day rollups of the event log for the dashboard's reports (built by src/reports/rollups/build.ts), the
// same statements as migrations/0006_report_rollups.sql, 0008_report_anonymous_days.sql then 0012_report_window.sql (a test keeps them equal). A closed day (before today,
// UTC) is summed once; reports read the sums for closed days and the raw events for today.
//
// `report_days` is the marker: a day's rollup rows count only while its row says ready = 1. Whatever writes
// or deletes events of a day deletes that day's marker in the same D1 batch (a transaction), so a late event
// (an import of old orders, a tracker outbox flushed days later) makes the next report rebuild that day.
export const ROLLUP_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS report_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  token TEXT NOT NULL,
  ready INTEGER NOT NULL DEFAULT 0,
  orders INTEGER NOT NULL DEFAULT 0,
  revenue REAL NOT NULL DEFAULT 0,
  identifies INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
)`,
  `CREATE TABLE IF NOT EXISTS report_visitor_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  orders INTEGER NOT NULL,
  PRIMARY KEY (site, day, visitor)
) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS report_visitor_days_buyers ON report_visitor_days (site, day, visitor, orders) WHERE orders > 0',
  `CREATE TABLE IF NOT EXISTS report_segment_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  segment TEXT NOT NULL,
  entered INTEGER NOT NULL,
  exited INTEGER NOT NULL,
  PRIMARY KEY (site, day, segment)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_strategy_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  strategy TEXT NOT NULL,
  visitor TEXT NOT NULL,
  views INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  PRIMARY KEY (site, day, strategy, visitor)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_clicks (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  message_id TEXT NOT NULL,
  visitor TEXT,
  at TEXT NOT NULL,
  strategy TEXT NOT NULL,
  product TEXT,
  PRIMARY KEY (site, day, message_id)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_quality_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  issue TEXT NOT NULL,
  path TEXT NOT NULL,
  visitor TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (site, day, issue, path, visitor)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_anonymous_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  uid TEXT,
  ordered INTEGER NOT NULL,
  personalized NOT NULL,
  last_at TEXT NOT NULL,
  orders INTEGER NOT NULL,
  revenue NOT NULL,
  last_order_at TEXT,
  product_views INTEGER NOT NULL,
  cart_adds INTEGER NOT NULL,
  quiz_answers INTEGER NOT NULL,
  PRIMARY KEY (site, day, visitor)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_name_days (
  site TEXT NOT NULL,
  name TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  uid TEXT NOT NULL,
  flags INTEGER NOT NULL,
  times TEXT NOT NULL,
  PRIMARY KEY (site, name, day, visitor, uid, flags)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_exposures (
  site TEXT NOT NULL,
  experiment NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  arm,
  first_at TEXT NOT NULL
)`,
  `CREATE INDEX IF NOT EXISTS report_exposures_key ON report_exposures (site, experiment, day, visitor)`,
  `CREATE INDEX IF NOT EXISTS report_exposures_day ON report_exposures (site, day)`,
  `CREATE TABLE IF NOT EXISTS report_answers (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  question NOT NULL,
  visitor TEXT NOT NULL,
  at TEXT NOT NULL,
  message_id TEXT NOT NULL,
  answer,
  PRIMARY KEY (site, day, question, visitor)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_orders (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  message_id TEXT NOT NULL,
  visitor TEXT,
  at TEXT NOT NULL,
  revenue NOT NULL,
  items TEXT NOT NULL,
  PRIMARY KEY (site, day, message_id)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_user_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  uid TEXT NOT NULL,
  last_at TEXT NOT NULL,
  orders INTEGER NOT NULL,
  revenue NOT NULL,
  last_order_at TEXT,
  product_views INTEGER NOT NULL,
  cart_adds INTEGER NOT NULL,
  quiz_answers INTEGER NOT NULL,
  PRIMARY KEY (site, day, uid)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS report_links (
  site TEXT NOT NULL,
  uid TEXT NOT NULL,
  visitor TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (site, uid, visitor)
) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS report_links_visitor ON report_links (site, visitor)`,
  `CREATE TABLE IF NOT EXISTS report_window (
  site TEXT PRIMARY KEY,
  kept_from TEXT NOT NULL
) WITHOUT ROWID`,
];

/** Every table holding a day's rollup rows (the marker last). */
export const ROLLUP_TABLES = [
  'report_visitor_days',
  'report_segment_days',
  'report_strategy_days',
  'report_clicks',
  'report_quality_days',
  'report_anonymous_days',
  'report_name_days',
  'report_exposures',
  'report_answers',
  'report_orders',
  'report_user_days',
  'report_days',
] as const;

/**
 * Rollup tables with a row per visitor (column `visitor`, or `uid`): what an erasure deletes by id on days that
 * left the event window (their events are gone, so those days cannot be rebuilt without the person).
 */
export const VISITOR_TABLES = [
  ['report_visitor_days', 'visitor'],
  ['report_strategy_days', 'visitor'],
  ['report_clicks', 'visitor'],
  ['report_quality_days', 'visitor'],
  ['report_anonymous_days', 'visitor'],
  ['report_anonymous_days', 'uid'],
  ['report_name_days', 'visitor'],
  ['report_name_days', 'uid'],
  ['report_exposures', 'visitor'],
  ['report_answers', 'visitor'],
  ['report_orders', 'visitor'],
  ['report_user_days', 'uid'],
  ['report_links', 'visitor'],
  ['report_links', 'uid'],
] as const;

/**
 * Marks days stale. ?1 = site, ?2 = JSON array of days (YYYY-MM-DD). Days that left the event window stay as
 * rolled up: their events are gone, a rebuild would keep only the late one (it reaches the archive, not the reports).
 */
export const UNMARK_DAYS = `DELETE FROM report_days WHERE site = ?1 AND day IN (SELECT value FROM json_each(?2))
  AND day >= coalesce((SELECT kept_from FROM report_window WHERE site = ?1), '')`;

/**
 * Deletes a day's rollup rows from every table (erasure: rows name visitors), for the next report to rebuild them
 * from the events left. ?1 = site, ?2 = JSON days. Days that left the event window cannot be rebuilt: there
 * ERASE_VISITOR deletes the person's own rows instead.
 */
export const DELETE_DAYS = ROLLUP_TABLES.map(
  (t) => `DELETE FROM ${t} WHERE site = ?1 AND day IN (SELECT value FROM json_each(?2)) AND day >= coalesce((SELECT kept_from FROM report_window WHERE site = ?1), '')`,
);

/**
 * Deletes a person's rows from every rollup that names visitors, on every day. ?1 = site, ?2 = JSON array of their
 * ids (anonymous ids and user ids: a visitor is either). Day totals without a visitor (orders and revenue per day,
 * segment entries) keep the person's share on days that left the window: counts, no longer linked to anyone.
 */
export const ERASE_VISITOR = VISITOR_TABLES.map(([t, col]) => `DELETE FROM ${t} WHERE site = ?1 AND ${col} IN (SELECT value FROM json_each(?2))`);

/** Deletes rollup rows of days up to and including ?2 (retention: the cut-off day is partial from then on). */
export const DELETE_UP_TO = [...ROLLUP_TABLES, 'report_links'].map((t) => `DELETE FROM ${t} WHERE site = ?1 AND day <= ?2`);
