// The queue consumer's write into the archive: one Parquet file per UTC day of the message's events.
import type { AcceptedEvent } from '../contract/events.js';
import { partKey } from './layout.js';
import { rowsByDay } from './merge.js';
import { encodeRows } from './parquet.js';

export const PARQUET_TYPE = 'application/vnd.apache.parquet';

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
