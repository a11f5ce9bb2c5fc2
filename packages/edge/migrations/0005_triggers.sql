-- Every webhook attempt of a trigger (src/triggers/log.ts keeps the same statements and creates them itself,
-- so a fresh `wrangler dev` needs no migration step. A test keeps the two equal.)
CREATE TABLE IF NOT EXISTS trigger_log (
  site TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  trigger_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  url TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  ms INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (site, idempotency_key, attempt)
);
CREATE INDEX IF NOT EXISTS trigger_log_site_at ON trigger_log (site, at);
