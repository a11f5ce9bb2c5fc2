-- Per-day rollup of the experiment report's holdout (src/reports/experiments-sql.ts): one row per day and
-- anonymous id (the unit decide randomizes) with the largest user id its events carry, whether it sent an
-- "Order Completed", and the largest personalization consent of its events (absent = granted), so the
-- holdout's visitors are counted without parsing every event's body. Built and unmarked with the other
-- rollups of 0006, and kept in step with src/log/rollup-schema.ts (a test compares them).
CREATE TABLE IF NOT EXISTS report_holdout_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  visitor TEXT NOT NULL,
  uid TEXT,
  ordered INTEGER NOT NULL,
  personalized NOT NULL,
  PRIMARY KEY (site, day, visitor)
) WITHOUT ROWID;
