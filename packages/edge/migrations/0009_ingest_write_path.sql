-- The ingest's write path. Every accepted event is written into each index of the log, and two of them are
-- prefixes of the reports' covering indexes (0003): (site, timestamp) of reports_site_time_visitor and
-- (site, name, timestamp) of reports_site_name_time_visitor, which answer the same lookups. They go.
DROP INDEX IF EXISTS events_site_time;
DROP INDEX IF EXISTS events_site_name_time;
-- Each profile writer derives its batch's recommendation increments, and the ingest adds them in the log's own
-- D1 batch under one claim per profile batch, with the token of the attempt that added them (src/recs/store.ts).
CREATE TABLE IF NOT EXISTS rec_claims (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (site, id)
);
CREATE INDEX IF NOT EXISTS rec_claims_at ON rec_claims (site, at);
