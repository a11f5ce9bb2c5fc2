// The D1 schema of the event log, the same statements as migrations/0001_events.sql (a test keeps them equal).
export const EVENTS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
  site TEXT NOT NULL,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT,
  anonymous_id TEXT,
  user_id TEXT,
  timestamp TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, message_id)
)`,
  'CREATE INDEX IF NOT EXISTS events_site_time ON events (site, timestamp)',
  'CREATE INDEX IF NOT EXISTS events_site_name_time ON events (site, name, timestamp)',
  'CREATE INDEX IF NOT EXISTS events_site_anonymous ON events (site, anonymous_id)',
  'CREATE INDEX IF NOT EXISTS events_site_user ON events (site, user_id)',
];
