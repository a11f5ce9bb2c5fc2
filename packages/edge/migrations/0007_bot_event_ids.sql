-- Bot events counted once per messageId (src/ingest/bots.ts, a test compares them). The per-day counter of
-- 0004 grew again each time a client retried a batch, so it goes. The Worker also applies this itself.
CREATE TABLE IF NOT EXISTS bot_event_ids (
  site TEXT NOT NULL,
  message_id TEXT NOT NULL,
  day TEXT NOT NULL,
  family TEXT NOT NULL,
  PRIMARY KEY (site, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bot_event_ids_day ON bot_event_ids (site, day, family);
DROP TABLE IF EXISTS bot_events;
