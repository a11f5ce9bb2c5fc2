-- The recommendation statistics that pages read live in KV, materialized from rec_items / rec_pairs (the source of
-- truth) by the writer of the statistics (src/recs/materialize.ts), so no page, decide or recommendation request
-- reads D1. rec_dirty: partner lists whose KV copy is behind. rec_leases: who may rewrite a site's copies now.
CREATE TABLE IF NOT EXISTS rec_dirty (
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  item TEXT NOT NULL,
  since INTEGER NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, kind, item)
);
CREATE INDEX IF NOT EXISTS rec_dirty_since ON rec_dirty (site, since);
CREATE TABLE IF NOT EXISTS rec_leases (
  site TEXT NOT NULL,
  what TEXT NOT NULL,
  at INTEGER NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (site, what)
);
-- A deployment that already has statistics: every product with partners is behind its (empty) KV copy. The
-- consumer's passes write them, oldest mark first (since 0), and the top lists follow the first batch or the cron.
INSERT OR IGNORE INTO rec_dirty (site, kind, item, since, seq) SELECT DISTINCT site, kind, a, 0, 0 FROM rec_pairs;
