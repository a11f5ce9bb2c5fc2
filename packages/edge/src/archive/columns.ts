// The archive's schema, version 1 (docs/archive.md): one Parquet column per field of the accepted event envelope,
// free-form objects as JSON text. Pure: an event ↔ one row of column values.
// A row keeps everything an accepted event holds: fields this version has no column for go, as they were, into the
// JSON object `extra`. `undefined` and `null` are one value here (the column is null) and come back absent.
import type { AcceptedEvent } from '../contract/events.js';

export const ARCHIVE_SCHEMA_VERSION = 1;

type Kind = 'string' | 'timestamp' | 'json';

export interface Column {
  /** the Parquet column */
  column: string;
  /** the envelope's field */
  field: string;
  kind: Kind;
  required?: true;
}

/** In file order. `schema_version` comes first and is not a field of the event. */
export const COLUMNS: readonly Column[] = [
  { column: 'message_id', field: 'messageId', kind: 'string', required: true },
  { column: 'type', field: 'type', kind: 'string', required: true },
  { column: 'event', field: 'event', kind: 'string' },
  { column: 'name', field: 'name', kind: 'string' },
  { column: 'category', field: 'category', kind: 'string' },
  { column: 'anonymous_id', field: 'anonymousId', kind: 'string' },
  { column: 'user_id', field: 'userId', kind: 'string' },
  { column: 'group_id', field: 'groupId', kind: 'string' },
  { column: 'previous_id', field: 'previousId', kind: 'string' },
  { column: 'timestamp', field: 'timestamp', kind: 'timestamp', required: true },
  { column: 'received_at', field: 'receivedAt', kind: 'timestamp', required: true },
  { column: 'sent_at', field: 'sentAt', kind: 'timestamp' },
  { column: 'original_timestamp', field: 'originalTimestamp', kind: 'timestamp' },
  { column: 'trust', field: 'trust', kind: 'string' },
  { column: 'properties', field: 'properties', kind: 'json' },
  { column: 'traits', field: 'traits', kind: 'json' },
  { column: 'context', field: 'context', kind: 'json' },
  { column: 'integrations', field: 'integrations', kind: 'json' },
];

/** Fields with a column of their own; everything else an event holds goes into `extra`. */
const FIELDS = new Set(COLUMNS.map((c) => c.field));

/** One row: per column, a string, epoch milliseconds, or null. */
export type Row = Record<string, string | number | null>;

const where = (e: { messageId?: unknown }, field: string) => `event ${JSON.stringify(e.messageId ?? '(no messageId)')}: ${field}`;

function cell(e: Record<string, unknown>, c: Column): string | number | null {
  const v = Object.hasOwn(e, c.field) ? e[c.field] : undefined;
  if (v === undefined || v === null) {
    if (c.required) throw new Error(`archive: ${where(e, c.field)} is required`);
    return null;
  }
  if (c.kind === 'json') return JSON.stringify(v);
  if (typeof v !== 'string') throw new Error(`archive: ${where(e, c.field)} must be a string, got ${typeof v}`);
  if (c.kind === 'string') return v;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new Error(`archive: ${where(e, c.field)} is not a date-time: ${JSON.stringify(v)}`);
  return ms;
}

/** An accepted event as one row of the archive. Throws, naming the event and field, on what cannot be stored. */
export function toRow(event: AcceptedEvent): Row {
  const e = event as unknown as Record<string, unknown>;
  const row: Row = {};
  // A value that does not fit its optional column (an id sent as a number, a date that is no date) is kept in
  // `extra` as sent: one odd event must never stop a consumer batch, nor be lost.
  const misfits = new Set<string>();
  for (const c of COLUMNS) {
    try {
      row[c.column] = cell(e, c);
    } catch (err) {
      if (c.required) throw err;
      row[c.column] = null;
      misfits.add(c.field);
    }
  }
  // Object.entries sees a `__proto__` key as the own key it is; JSON.stringify writes it as data.
  const rest = Object.entries(e).filter(([k, v]) => (!FIELDS.has(k) || misfits.has(k)) && v !== undefined);
  row.extra = rest.length ? JSON.stringify(Object.fromEntries(rest)) : null;
  return row;
}

/** A row back as the event it was (timestamps as ISO UTC with milliseconds). */
export function fromRow(row: Row): AcceptedEvent {
  const pairs: [string, unknown][] = [];
  for (const c of COLUMNS) {
    const v = row[c.column];
    if (v === null || v === undefined) continue;
    if (c.kind === 'string') pairs.push([c.field, v]);
    else if (c.kind === 'timestamp') pairs.push([c.field, new Date(v).toISOString()]);
    else pairs.push([c.field, JSON.parse(String(v))]); // JSON.parse keeps `__proto__` as an own key
  }
  if (typeof row.extra === 'string') pairs.push(...Object.entries(JSON.parse(row.extra) as Record<string, unknown>));
  // fromEntries defines keys (never the `__proto__` setter), so an outside key named so stays data.
  return Object.fromEntries(pairs) as AcceptedEvent;
}
