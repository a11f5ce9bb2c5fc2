-- Events from known bots and headless browsers: accepted (the sender gets its 200) but kept out of profiles,
-- segments, the event log and its reports; counted here per site and day instead. Kept in step with
-- src/ingest/bots.ts (a test compares them): the Worker also applies it itself.
CREATE TABLE IF NOT EXISTS bot_events (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site, day)
);
