// The D1 schema of the event log as the Worker applies it: migrations/0001_events.sql, the reports' covering
// indexes of 0003, and 0009, which drops the two 0001 indexes those cover (a test keeps them equal).
export const EVENTS_TABLE = [
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
  'CREATE INDEX IF NOT EXISTS events_site_anonymous ON events (site, anonymous_id)',
  'CREATE INDEX IF NOT EXISTS events_site_user ON events (site, user_id)',
];

/** Visitor ids beside site, name and time: counting visitors over a period reads the index only (0003). */
export const REPORTS_INDEXES = [
  'CREATE INDEX IF NOT EXISTS reports_site_time_visitor ON events (site, timestamp, name, anonymous_id, user_id)',
  'CREATE INDEX IF NOT EXISTS reports_site_name_time_visitor ON events (site, name, timestamp, anonymous_id, user_id)',
];

/** Prefixes of the reports' indexes: one more write per event for lookups those answer (0009). */
export const DROPPED_INDEXES = ['DROP INDEX IF EXISTS events_site_time', 'DROP INDEX IF EXISTS events_site_name_time'];

export const EVENTS_SCHEMA = [...EVENTS_TABLE, ...REPORTS_INDEXES, ...DROPPED_INDEXES];
