// Which of a site's days are due for compaction, in D1 (archive_days): the consumer counts every file it writes
// into a day (tombstones.ts archiveIndexStatements); a compaction remembers the count it started from, so a
// file written while it ran leaves the day due for the next run.
import { ensureArchiveSchema } from './d1-schema.js';

/** Closed days (before `today`, from `since` on) written since their last compaction, oldest first. */
export async function dueDays(db: D1Database, site: string, since: string, today: string): Promise<string[]> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare('SELECT day FROM archive_days WHERE site = ?1 AND writes > compacted AND day >= ?2 AND day < ?3 ORDER BY day')
    .bind(site, since, today)
    .all<{ day: string }>();
  return results.map((r) => r.day);
}

/** The day's write count, read before its files are listed. */
export async function writesOf(db: D1Database, site: string, day: string): Promise<number> {
  await ensureArchiveSchema(db);
  const r = await db.prepare('SELECT writes FROM archive_days WHERE site = ?1 AND day = ?2').bind(site, day).first<{ writes: number }>();
  return r?.writes ?? 0;
}

/** Records that a compaction covered every write counted up to `writes`. */
export async function markCompacted(db: D1Database, site: string, day: string, writes: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO archive_days (site, day, writes, compacted) VALUES (?1, ?2, ?3, ?3)
       ON CONFLICT (site, day) DO UPDATE SET compacted = max(compacted, ?3)`,
    )
    .bind(site, day, writes)
    .run();
}

/**
 * Retention of the bookkeeping: index rows and day counters of days before `firstKept`, and tombstones no file
 * can need any more (erased before `tombstonesBefore`, epoch ms).
 */
export async function purgeArchiveIndex(db: D1Database, site: string, firstKept: string, tombstonesBefore: number): Promise<void> {
  await ensureArchiveSchema(db);
  await db.batch([
    db.prepare('DELETE FROM archive_profile_days WHERE site = ?1 AND day < ?2').bind(site, firstKept),
    db.prepare('DELETE FROM archive_days WHERE site = ?1 AND day < ?2').bind(site, firstKept),
    db.prepare('DELETE FROM archive_tombstones WHERE site = ?1 AND erased_at < ?2').bind(site, tombstonesBefore),
  ]);
}
