// Indexes the reports read through, the same statements as migrations/0003_reports.sql (a test keeps them
// equal). Both cover the columns a report needs (visitor ids beside name and time), so counting visitors
// over a period reads the index only, never the JSON bodies. The event log's schema creates them too (they
// replaced two of its own indexes, 0009); a report ensures them again, a no-op.
import { ensureSchema as ensureEventLog } from '../log/event-log.js';
import { schemaOnce } from '../log/schema-once.js';
import { REPORTS_INDEXES } from '../log/schema.js';

export const REPORTS_SCHEMA = REPORTS_INDEXES;

export const ensureReportsSchema = schemaOnce(REPORTS_SCHEMA, ensureEventLog);
