// Indexes the reports read through, the same statements as migrations/0003_reports.sql (a test keeps them
// equal). Both cover the columns a report needs (visitor ids beside name and time), so counting visitors
// over a period reads the index only, never the JSON bodies. Applied by the Worker on first use, like the
// event log's own schema, so `wrangler dev` needs no migration step.
import { ensureSchema as ensureEventLog } from '../log/event-log.js';

export const REPORTS_SCHEMA = [
  'CREATE INDEX IF NOT EXISTS reports_site_time_visitor ON events (site, timestamp, name, anonymous_id, user_id)',
  'CREATE INDEX IF NOT EXISTS reports_site_name_time_visitor ON events (site, name, timestamp, anonymous_id, user_id)',
];

let ready: Promise<unknown> | undefined;

export function ensureReportsSchema(db: D1Database): Promise<unknown> {
  ready ??= ensureEventLog(db)
    .then(() => db.batch(REPORTS_SCHEMA.map((s) => db.prepare(s))))
    .catch((e) => {
      ready = undefined;
      throw e;
    });
  return ready;
}
