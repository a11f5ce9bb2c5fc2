// Indexes the reports read through, the same statements as migrations/0003_reports.sql (a test keeps them
// equal). Both cover the columns a report needs (visitor ids beside name and time), so counting visitors
// over a period reads the index only, never the JSON bodies. Applied by the Worker on first use, like the
// event log's own schema, so `wrangler dev` needs no migration step.
import { ensureSchema as ensureEventLog } from '../log/event-log.js';
import { schemaOnce } from '../log/schema-once.js';

export const REPORTS_SCHEMA = [
  'CREATE INDEX IF NOT EXISTS reports_site_time_visitor ON events (site, timestamp, name, anonymous_id, user_id)',
  'CREATE INDEX IF NOT EXISTS reports_site_name_time_visitor ON events (site, name, timestamp, anonymous_id, user_id)',
];

export const ensureReportsSchema = schemaOnce(REPORTS_SCHEMA, ensureEventLog);
