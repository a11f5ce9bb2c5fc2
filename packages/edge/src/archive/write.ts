// The queue consumer's write into the archive: one Parquet file per UTC day of the message's events.
import type { AcceptedEvent } from '../profile/apply.js';
import { toRow, type Row } from './columns.js';
import { dayOf, partKey } from './layout.js';
import { byTime } from './merge.js';
import { encodeRows } from './parquet.js';

export const PARQUET_TYPE = 'application/vnd.apache.parquet';

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

/**
 * PUTs `events/site=<site>/day=<D>/part-<partId>.parquet` for each day D of the events. `partId` is the Queue
 * message's id, the same when the Queue delivers the message again, so a redelivery overwrites the same files
 * (idempotent) — it must always name the same events. Resolves once R2 holds every file.
 * @returns the keys written, by day
 */
export async function archiveMessage(bucket: R2Bucket, site: string, partId: string, events: readonly AcceptedEvent[]): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  const days = rowsByDay(events);
  await Promise.all(
    [...days].map(async ([day, rows]) => {
      const key = partKey(site, day, partId);
      await bucket.put(key, encodeRows(rows), {
        httpMetadata: { contentType: PARQUET_TYPE },
        customMetadata: { rows: String(rows.length) },
      });
      written.set(day, key);
    }),
  );
  return written;
}
