// What every read of the archive through Attune and every compaction does to rows, in one place. Pure.
// - A message id is one event: the same event can reach the archive twice (a client retried after a lost answer,
//   so it went into another queue message); the copy received first is kept.
// - An erased person's rows are hidden: a tombstone names an anonymous or user id and when it was erased; rows of
//   that id received up to then are gone (one received later is a new visit, after a new consent).
import { sha256Hex } from '../hash/sha256.js';
import type { AcceptedEvent } from '../contract/events.js';
import { ARCHIVE_SCHEMA_VERSION, toRow, type Row } from './columns.js';
import { dayOf } from './layout.js';

export type IdKind = 'anonymous' | 'user';

export interface Tombstone {
  kind: IdKind;
  id: string;
  /** epoch ms of the erasure */
  erasedAt: number;
}

/** Tombstones by kind and id, for one lookup a row. */
export type Tombstones = Map<string, number>;

const slot = (kind: IdKind, id: string) => `${kind}\u0000${id}`;

export function tombstoneSet(list: readonly Tombstone[]): Tombstones {
  const m: Tombstones = new Map();
  for (const t of list) m.set(slot(t.kind, t.id), Math.max(t.erasedAt, m.get(slot(t.kind, t.id)) ?? -Infinity));
  return m;
}

const receivedAt = (r: Row) => Number(r.received_at);

/** Whether a tombstone hides this row: one of its ids was erased at or after the row was received. */
export function isErased(r: Row, tombstones: Tombstones): boolean {
  if (!tombstones.size) return false;
  const at = receivedAt(r);
  for (const [kind, id] of [['anonymous', r.anonymous_id], ['user', r.user_id]] as const) {
    if (typeof id !== 'string') continue;
    const erased = tombstones.get(slot(kind, id));
    if (erased !== undefined && at <= erased) return true;
  }
  return false;
}

export interface Merged {
  rows: Row[];
  duplicates: number;
  erased: number;
}

/** Older first, then by message id: the order of every file compaction writes and of every read. */
export const byTime = (a: Row, b: Row) =>
  Number(a.timestamp) - Number(b.timestamp) || (String(a.message_id) < String(b.message_id) ? -1 : String(a.message_id) > String(b.message_id) ? 1 : 0);

/** Drops repeated message ids (keeping the earliest received) and erased rows; sorts what is left by time. */
export function mergeRows(rows: Iterable<Row>, tombstones: Tombstones = new Map()): Merged {
  const kept = new Map<string, Row>();
  let seen = 0;
  let erased = 0;
  for (const r of rows) {
    if (isErased(r, tombstones)) {
      erased++;
      continue;
    }
    seen++;
    const id = String(r.message_id);
    const was = kept.get(id);
    if (!was || receivedAt(r) < receivedAt(was)) kept.set(id, r);
  }
  const out = [...kept.values()].sort(byTime);
  return { rows: out, duplicates: seen - out.length, erased };
}

/** Events by the UTC day of their `timestamp`, as rows in time order. Pure. */
export function rowsByDay(events: readonly AcceptedEvent[]): Map<string, Row[]> {
  const days = new Map<string, Row[]>();
  for (const e of events) {
    const day = dayOf(e.timestamp, `event ${JSON.stringify(e.messageId)}: timestamp`);
    const list = days.get(day) ?? [];
    list.push(toRow(e));
    days.set(day, list);
  }
  for (const rows of days.values()) rows.sort(byTime);
  return days;
}

/** Consecutive runs of at most `max` rows. */
export function chunk<T>(rows: readonly T[], max: number): T[][] {
  if (!(max >= 1)) throw new Error(`archive: rows per file must be at least 1, got ${max}`);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += max) out.push(rows.slice(i, i + max));
  return out;
}

/**
 * A name for a compacted file from what it holds (the schema version and its message ids, sorted): a rerun after a
 * crash computes the same name and overwrites the file instead of adding a second copy, and a day compacted
 * already is recognised and left as it is.
 */
export async function idsDigest(ids: readonly string[]): Promise<string> {
  const text = `v${ARCHIVE_SCHEMA_VERSION}\n${[...ids].sort().join('\n')}`;
  return (await sha256Hex(text)).slice(0, 32); // 128 bits
}

export interface ListedFile {
  key: string;
  size: number;
  /** epoch ms R2 stored it */
  uploaded: number;
  /** rows it holds, as its writer noted them in R2's custom metadata */
  rows?: number;
}
