// The D1 schema of the recommendation statistics, the same statements as migrations/0002_recs.sql (a test keeps
// them equal). Applied by the Worker on first use, so `wrangler dev` needs no migration step.
export const RECS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rec_items (
  site TEXT NOT NULL,
  item TEXT NOT NULL,
  popular REAL NOT NULL DEFAULT 0,
  trend REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (site, item)
)`,
  `CREATE INDEX IF NOT EXISTS rec_items_popular ON rec_items (site, popular DESC)`,
  `CREATE INDEX IF NOT EXISTS rec_items_trend ON rec_items (site, trend DESC)`,
  `CREATE TABLE IF NOT EXISTS rec_pairs (
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (site, kind, a, b)
)`,
  `CREATE INDEX IF NOT EXISTS rec_pairs_top ON rec_pairs (site, kind, a, n DESC)`,
  `CREATE TABLE IF NOT EXISTS rec_applied (
  site TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (site, message_id)
)`,
  `CREATE INDEX IF NOT EXISTS rec_applied_at ON rec_applied (site, at)`,
];

/**
 * The claims of the writers' increments (migrations/0009_ingest_write_path.sql): one row per profile batch,
 * with the token of the ingest attempt that added its increments.
 */
export const REC_CLAIMS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rec_claims (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (site, id)
)`,
  `CREATE INDEX IF NOT EXISTS rec_claims_at ON rec_claims (site, at)`,
];

/**
 * What the KV copies of the statistics need (migrations/0010_rec_kv.sql, recs/materialize.ts): the partner lists
 * whose KV copy is behind D1, and who may rewrite a site's copies now.
 *  - rec_dirty: one row per (site, kind, product) marked by a batch that changed its partners; `since` is the
 *    first unwritten mark (ms), `seq` counts marks, so a rewrite clears a row only if no mark came after its read.
 *  - rec_leases: per (site, what) the time and token of the last consumer that claimed the rewrite; one claim
 *    per interval, so concurrent consumers neither repeat the work nor write a key twice a second.
 */
export const REC_KV_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rec_dirty (
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  item TEXT NOT NULL,
  since INTEGER NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, kind, item)
)`,
  `CREATE INDEX IF NOT EXISTS rec_dirty_since ON rec_dirty (site, since)`,
  `CREATE TABLE IF NOT EXISTS rec_leases (
  site TEXT NOT NULL,
  what TEXT NOT NULL,
  at INTEGER NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (site, what)
)`,
];
