// Every read of the archive through Attune: repeated message ids dropped (the earliest received kept), erased
// people's rows hidden by their tombstones at once, before any compaction rewrote their files.
import type { AcceptedEvent } from '../contract/events.js';
import { filesOfDay } from './bucket.js';
import { fromRow, type Row } from './columns.js';
import { mergeRows, tombstoneSet, type Tombstones } from './merge.js';
import { encodeRows, openFile } from './parquet.js';
import { SLICE_ROWS } from './compact.js';
import { daysOfProfile, loadTombstones } from './tombstones.js';

/**
 * The rows of one day that `keep` accepts, read file by file (only those rows stay in memory). A file that
 * vanished between the list and the read was replaced by a compaction that wrote its rows first: the day is
 * listed and read again.
 */
async function dayRows(bucket: R2Bucket, site: string, day: string, keep: (r: Row) => boolean = () => true): Promise<Row[]> {
  for (let attempt = 0; ; attempt++) {
    const rows: Row[] = [];
    let vanished = false;
    for (const f of await filesOfDay(bucket, site, day)) {
      const obj = await bucket.get(f.key);
      if (!obj) {
        vanished = true;
        break;
      }
      // By row ranges: a compacted file of 200,000 rows decoded at once would not fit in a Worker's memory.
      const file = openFile(await obj.arrayBuffer(), f.key);
      for (let start = 0; start < file.rows; start += SLICE_ROWS) {
        for (const r of await file.read(start, Math.min(file.rows, start + SLICE_ROWS))) if (keep(r)) rows.push(r);
      }
    }
    if (!vanished) return rows;
    if (attempt === 2) throw new Error(`archive: ${site} ${day} kept changing while read; try again`);
  }
}

/** One day of a site as Attune serves it (tombstones applied, each message id once), in time order. */
export async function readDay(bucket: R2Bucket, db: D1Database, site: string, day: string, tombstones?: Tombstones): Promise<AcceptedEvent[]> {
  const t = tombstones ?? tombstoneSet(await loadTombstones(db, site));
  return mergeRows(await dayRows(bucket, site, day), t).rows.map(fromRow);
}

/**
 * One day as a Parquet file for the admin archive export (tombstones applied, each message id once); null when
 * empty. Holds the whole day in memory: for days past ~20,000 rows serve the compacted files themselves instead.
 */
export async function exportDay(bucket: R2Bucket, db: D1Database, site: string, day: string): Promise<Uint8Array | null> {
  const t = tombstoneSet(await loadTombstones(db, site));
  const rows = mergeRows(await dayRows(bucket, site, day), t).rows;
  return rows.length ? encodeRows(rows) : null;
}

/**
 * A person's archived events (for the export of a profile): the days the per-profile index names, only the rows
 * of these ids, tombstones applied, each message id once, in time order; `exceptDays` are left out (the caller
 * has them whole from the D1 log).
 */
export async function archivedEventsOf(
  bucket: R2Bucket,
  db: D1Database,
  site: string,
  anonymousIds: readonly string[],
  userIds: readonly string[],
  exceptDays: ReadonlySet<string> = new Set(),
): Promise<AcceptedEvent[]> {
  if (!anonymousIds.length && !userIds.length) return [];
  const [indexed, list] = await Promise.all([daysOfProfile(db, site, anonymousIds, userIds), loadTombstones(db, site)]);
  const days = indexed.filter((d) => !exceptDays.has(d));
  const anon = new Set(anonymousIds);
  const users = new Set(userIds);
  const mine = (r: Row) => (typeof r.anonymous_id === 'string' && anon.has(r.anonymous_id)) || (typeof r.user_id === 'string' && users.has(r.user_id));
  const rows: Row[] = [];
  for (const day of days) for (const r of await dayRows(bucket, site, day, mine)) rows.push(r);
  return mergeRows(rows, tombstoneSet(list)).rows.map(fromRow);
}

/**
 * The events of a profile export: the D1 log's (kept as logged) and the archive's, each message id once, in time
 * order. Pure.
 */
export function withArchived(logged: readonly unknown[], archived: readonly AcceptedEvent[]): unknown[] {
  const byId = new Map<string, unknown>();
  for (const e of archived) byId.set(e.messageId, e);
  for (const e of logged) byId.set(String((e as { messageId?: unknown }).messageId), e);
  const at = (e: unknown) => String((e as { timestamp?: unknown }).timestamp ?? '');
  const id = (e: unknown) => String((e as { messageId?: unknown }).messageId ?? '');
  return [...byId.values()].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}
