// Retention of the archive: whole days past the site's retention go (the D1 log is purged by the event's time;
// the archive by its day, so a day stays until all of it is past retention).
import { deleteKeys, daysOfSite, listAll } from './bucket.js';
import { purgeArchiveIndex } from './day-state.js';
import { dayBefore, dayPrefix } from './layout.js';

const DAY_MS = 86_400_000;

/**
 * Deletes every file of the days before `retentionDays` ago (UTC of `now`), their index rows and day counters,
 * and the tombstones no kept day can need: rows a tombstone hides were received by its time, so they lie on its
 * day or the next (a timestamp may run ahead of receipt by minutes, never a day).
 * @returns the days deleted
 */
export async function purgeArchive(bucket: R2Bucket, db: D1Database, site: string, retentionDays: number, now: number): Promise<string[]> {
  if (!(Number.isInteger(retentionDays) && retentionDays >= 1)) throw new Error(`archive: retentionDays must be a whole number ≥ 1, got ${retentionDays}`);
  const firstKept = dayBefore(now, retentionDays);
  const old = (await daysOfSite(bucket, site)).filter((d) => d < firstKept);
  for (const day of old) await deleteKeys(bucket, (await listAll(bucket, dayPrefix(site, day))).map((o) => o.key));
  await purgeArchiveIndex(db, site, firstKept, Date.parse(`${firstKept}T00:00:00.000Z`) - DAY_MS);
  return old;
}
