-- Per-day rollup per anonymous id (src/reports/rollups/rows.ts anonymousDayRows): one row per day and anonymous id
-- (the unit decide randomizes) with the largest user id its events carry, whether it sent an "Order Completed",
-- the largest personalization consent of its events (absent = granted) for the experiment report's holdout, and
-- the behaviour counts segment discovery clusters on, so neither parses every event's body. Built and unmarked
-- with the other rollups of 0006, and kept in step with src/log/rollup-schema.ts (a test compares them).
CREATE TABLE IF NOT EXISTS report_anonymous_days (
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
) WITHOUT ROWID;
