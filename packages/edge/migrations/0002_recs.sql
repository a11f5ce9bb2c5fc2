-- Recommendation statistics, added to incrementally by recs/store.ts (onEventsAccepted) with atomic upserts,
-- so concurrent ingests never lose a count. Kept in step with src/recs/schema.ts (a test compares them).
CREATE TABLE IF NOT EXISTS rec_items (
  site TEXT NOT NULL,
  item TEXT NOT NULL,
  popular REAL NOT NULL DEFAULT 0,
  trend REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (site, item)
);
CREATE INDEX IF NOT EXISTS rec_items_popular ON rec_items (site, popular DESC);
CREATE INDEX IF NOT EXISTS rec_items_trend ON rec_items (site, trend DESC);
CREATE TABLE IF NOT EXISTS rec_pairs (
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (site, kind, a, b)
);
CREATE INDEX IF NOT EXISTS rec_pairs_top ON rec_pairs (site, kind, a, n DESC);
CREATE TABLE IF NOT EXISTS rec_applied (
  site TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (site, message_id)
);
CREATE INDEX IF NOT EXISTS rec_applied_at ON rec_applied (site, at);
