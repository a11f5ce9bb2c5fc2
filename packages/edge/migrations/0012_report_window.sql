-- Rollups that let every report read closed days without the raw event log, so D1 keeps only a bounded window of
-- events (src/log/event-window.ts): the cron builds a day's rollups, then deletes its events. Built and unmarked with
-- the other rollups of 0006 (src/reports/rollups/rows.ts), and kept in step with src/log/rollup-schema.ts (a test
-- compares them).
-- Per day, event name and visitor: the times of that visitor's events of that name (a JSON array), for the funnel
-- and the experiments' goals. uid = the events' user id ('' without), flags = 1 for track events + 2 when the
-- events carry an anonymous id (visitor is then that id), so the experiment report reads exactly what it read.
CREATE TABLE IF NOT EXISTS report_name_days (
  site TEXT NOT NULL,
  name TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  uid TEXT NOT NULL,
  flags INTEGER NOT NULL,
  times TEXT NOT NULL,
  PRIMARY KEY (site, name, day, visitor, uid, flags)
) WITHOUT ROWID;
-- Per day, experiment, anonymous id and arm: the first "Experiment Viewed" (columns without affinity keep ids as sent).
CREATE TABLE IF NOT EXISTS report_exposures (
  site TEXT NOT NULL,
  experiment NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  arm,
  first_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS report_exposures_key ON report_exposures (site, experiment, day, visitor);
CREATE INDEX IF NOT EXISTS report_exposures_day ON report_exposures (site, day);
-- Per day, question and respondent ('' without an id): the latest "Question Answered" (NPS KPI).
CREATE TABLE IF NOT EXISTS report_answers (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  question NOT NULL,
  visitor TEXT NOT NULL,
  at TEXT NOT NULL,
  message_id TEXT NOT NULL,
  answer,
  PRIMARY KEY (site, day, question, visitor)
) WITHOUT ROWID;
-- Every "Order Completed": visitor, time, revenue and its products' ids (recommendation attribution).
CREATE TABLE IF NOT EXISTS report_orders (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  message_id TEXT NOT NULL,
  visitor TEXT,
  at TEXT NOT NULL,
  revenue NOT NULL,
  items TEXT NOT NULL,
  PRIMARY KEY (site, day, message_id)
) WITHOUT ROWID;
-- Per day and user id, events sent without an anonymous id (a server's): segment discovery's features.
CREATE TABLE IF NOT EXISTS report_user_days (
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
) WITHOUT ROWID;
-- Every (anonymous id, user id) pair the log ever held, with the last day it was seen (retention drops it after
-- that day): the experiment report links a goal's user id to visitors without scanning the events.
CREATE TABLE IF NOT EXISTS report_links (
  site TEXT NOT NULL,
  uid TEXT NOT NULL,
  visitor TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (site, uid, visitor)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS report_links_visitor ON report_links (site, visitor);
-- The first day whose events D1 still holds, per site: days before it live only in the rollups (and the archive),
-- so an event arriving for one of them no longer unmarks its rollup (it could not be rebuilt).
CREATE TABLE IF NOT EXISTS report_window (
  site TEXT PRIMARY KEY,
  kept_from TEXT NOT NULL
) WITHOUT ROWID
