-- Per-day rollups of the event log for the dashboard's reports (src/reports/rollups/build.ts): closed days
-- (before today, UTC) are summed once and read from here, today from the events. `report_days` marks a
-- day ready, and writing or deleting events of a day unmarks it in the same D1 batch, so the next report rebuilds it.
-- Kept in step with src/log/rollup-schema.ts (a test compares them): the Worker also applies it itself.
CREATE TABLE IF NOT EXISTS report_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  token TEXT NOT NULL,
  ready INTEGER NOT NULL DEFAULT 0,
  orders INTEGER NOT NULL DEFAULT 0,
  revenue REAL NOT NULL DEFAULT 0,
  identifies INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
);
CREATE TABLE IF NOT EXISTS report_visitor_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  orders INTEGER NOT NULL,
  PRIMARY KEY (site, day, visitor)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS report_visitor_days_buyers ON report_visitor_days (site, day, visitor, orders) WHERE orders > 0;
CREATE TABLE IF NOT EXISTS report_segment_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  segment TEXT NOT NULL,
  entered INTEGER NOT NULL,
  exited INTEGER NOT NULL,
  PRIMARY KEY (site, day, segment)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS report_strategy_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  strategy TEXT NOT NULL,
  visitor TEXT NOT NULL,
  views INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  PRIMARY KEY (site, day, strategy, visitor)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS report_clicks (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  message_id TEXT NOT NULL,
  visitor TEXT,
  at TEXT NOT NULL,
  strategy TEXT NOT NULL,
  product TEXT,
  PRIMARY KEY (site, day, message_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS report_quality_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  issue TEXT NOT NULL,
  path TEXT NOT NULL,
  visitor TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (site, day, issue, path, visitor)
) WITHOUT ROWID;
