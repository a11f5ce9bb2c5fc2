// Per-day rollups of the event log for the dashboard's reports (built by src/reports/rollup-build.ts), the
// same statements as migrations/0006_report_rollups.sql then 0008_report_anonymous_days.sql (a test keeps them equal). A closed day (before today,
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
];

/** Every table holding a day's rollup rows (the marker last). */
export const ROLLUP_TABLES = ['report_visitor_days', 'report_segment_days', 'report_strategy_days', 'report_clicks', 'report_quality_days', 'report_anonymous_days', 'report_days'] as const;

/** Marks days stale. ?1 = site, ?2 = JSON array of days (YYYY-MM-DD). */
export const UNMARK_DAYS = 'DELETE FROM report_days WHERE site = ?1 AND day IN (SELECT value FROM json_each(?2))';

/** Deletes a day's rollup rows from every table (erasure: rows name visitors). ?1 = site, ?2 = JSON days. */
export const DELETE_DAYS = ROLLUP_TABLES.map((t) => `DELETE FROM ${t} WHERE site = ?1 AND day IN (SELECT value FROM json_each(?2))`);

/** Deletes rollup rows of days up to and including ?2 (retention: the cut-off day is partial from then on). */
export const DELETE_UP_TO = ROLLUP_TABLES.map((t) => `DELETE FROM ${t} WHERE site = ?1 AND day <= ?2`);
