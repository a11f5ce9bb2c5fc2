// Daily compaction of the archive (the cron): a day's many small part files become few files without repeated
// message ids or erased people's rows. Write first, then delete: a crash between the two leaves both copies, which
// every reader through Attune drops as duplicates, and the rerun writes the same names again — never a loss.
import { deleteKeys, filesOfDay, readRows } from './bucket.js';
import type { Row } from './columns.js';
import { dayBefore, compactKey } from './layout.js';
import { chunk, contentDigest, mergeRows, planSlices, tombstoneSet, type IdKind, type Tombstones } from './merge.js';
import { encodeRows } from './parquet.js';
import { PARQUET_TYPE } from './write.js';
import { dueDays, markCompacted, writesOf } from './day-state.js';
import { forgetProfileDays, loadTombstones, markTombstonesDone, pendingTombstoneDays, tombstonedIdsOn } from './tombstones.js';
import { purgeArchive } from './purge.js';

/** Rows per compacted file: DuckDB and Spark read files of this size well, and one encodes within a Worker's memory. */
export const MAX_ROWS = 100_000;
/** Parquet bytes one pass decodes at once (docs/archive.md: about 20× that in memory while it is rewritten). */
export const MAX_SLICE_BYTES = 4 * 1024 * 1024;

export interface CompactOptions {
  tombstones?: Tombstones;
  maxRows?: number;
  maxSliceBytes?: number;
  /** ids to look for: the result says which of them the day's files still hold */
  watch?: readonly [IdKind, string][];
  /** tests: called after the new files are written, before the old ones are deleted (a crash there) */
  beforeDelete?: () => Promise<void>;
}

export interface DayCompaction {
  day: string;
  filesIn: number;
  filesOut: number;
  rowsIn: number;
  rowsOut: number;
  duplicates: number;
  erased: number;
  written: string[];
  deleted: string[];
  /** the watched ids still in the day's files */
  present: [IdKind, string][];
}

/** Compacts one day of one site. Safe to run again at any point; files written while it runs are left for the next run. */
export async function compactDay(bucket: R2Bucket, site: string, day: string, opts: CompactOptions = {}): Promise<DayCompaction> {
  const files = await filesOfDay(bucket, site, day);
  const watch = new Map((opts.watch ?? []).map(([k, id]) => [`${k}\u0000${id}`, [k, id] as [IdKind, string]]));
  const present = new Set<string>();
  const out: DayCompaction = { day, filesIn: files.length, filesOut: 0, rowsIn: 0, rowsOut: 0, duplicates: 0, erased: 0, written: [], deleted: [], present: [] };
  const keep = new Set<string>();
  for (const slice of planSlices(files, opts.maxSliceBytes ?? MAX_SLICE_BYTES)) {
    const rows: Row[] = [];
    for (const f of slice) {
      const got = await readRows(bucket, f.key);
      // Gone since the list: another run replaced it, and wrote its rows first. Nothing of this day is deleted now.
      if (!got) throw new Error(`archive: ${f.key} vanished while compacting ${site} ${day}; another compaction ran, try again`);
      for (const r of got) rows.push(r); // not push(...got): a spread of 100k rows overflows the stack
    }
    const m = mergeRows(rows, opts.tombstones);
    out.rowsIn += rows.length;
    out.duplicates += m.duplicates;
    out.erased += m.erased;
    out.rowsOut += m.rows.length;
    for (const r of m.rows) {
      if (!watch.size) break;
      for (const s of [`anonymous\u0000${r.anonymous_id}`, `user\u0000${r.user_id}`]) if (watch.has(s)) present.add(s);
    }
    const had = new Set(slice.map((f) => f.key));
    for (const part of chunk(m.rows, opts.maxRows ?? MAX_ROWS)) {
      const key = compactKey(site, day, await contentDigest(part));
      keep.add(key);
      // A compacted file of this name holds these rows already (a day compacted before, or a rerun).
      if (had.has(key)) continue;
      await bucket.put(key, encodeRows(part), { httpMetadata: { contentType: PARQUET_TYPE }, customMetadata: { rows: String(part.length) } });
      out.written.push(key);
    }
  }
  out.filesOut = keep.size;
  await opts.beforeDelete?.();
  out.deleted = files.map((f) => f.key).filter((k) => !keep.has(k));
  await deleteKeys(bucket, out.deleted);
  out.present = [...present].map((s) => watch.get(s)!);
  return out;
}

export interface ArchiveSite {
  id: string;
  retentionDays: number;
}

export interface ArchiveDeps {
  bucket: R2Bucket;
  db: D1Database;
}

export interface ArchiveRun {
  purged: string[];
  days: DayCompaction[];
  /** days left for the next run (the time budget ran out) */
  left: string[];
  tombstonesDone: number;
}

/**
 * The cron's entry, once per site: purges days past retention, then compacts yesterday (UTC of `now`), every
 * earlier day written since its compaction (late events), and every day the per-profile index names for a pending
 * tombstone (today included); marks the tombstones done once all of those days are rewritten.
 * @param opts.budgetMs stop starting new days after this long (the rest is left for the next run)
 */
export async function compactArchive(
  deps: ArchiveDeps,
  site: ArchiveSite,
  now: number,
  opts: Omit<CompactOptions, 'tombstones' | 'watch'> & { budgetMs?: number; clock?: () => number } = {},
): Promise<ArchiveRun> {
  const { bucket, db } = deps;
  const clock = opts.clock ?? (() => Date.now());
  const started = clock();
  const purged = await purgeArchive(bucket, db, site.id, site.retentionDays, now);
  const firstKept = dayBefore(now, site.retentionDays);
  const [list, due, pending] = await Promise.all([
    loadTombstones(db, site.id),
    dueDays(db, site.id, firstKept, dayBefore(now, 0)),
    pendingTombstoneDays(db, site.id),
  ]);
  const tombstones = tombstoneSet(list);
  const yesterday = dayBefore(now, 1);
  const days = [...new Set([...(yesterday >= firstKept ? [yesterday] : []), ...due, ...pending.filter((d) => d >= firstKept)])].sort();
  const run: ArchiveRun = { purged, days: [], left: [], tombstonesDone: 0 };
  for (const day of days) {
    if (opts.budgetMs !== undefined && clock() - started > opts.budgetMs) {
      run.left.push(day);
      continue;
    }
    const writes = await writesOf(db, site.id, day);
    const watch = await tombstonedIdsOn(db, site.id, day);
    const r = await compactDay(bucket, site.id, day, { ...opts, tombstones, watch });
    const still = new Set(r.present.map(([k, id]) => `${k}\u0000${id}`));
    await forgetProfileDays(db, site.id, day, watch.filter(([k, id]) => !still.has(`${k}\u0000${id}`)));
    await markCompacted(db, site.id, day, writes);
    run.days.push(r);
  }
  // Tombstones recorded up to `now` were all applied to every day they name (none was left for later).
  if (!run.left.some((d) => pending.includes(d))) run.tombstonesDone = await markTombstonesDone(db, site.id, now, now);
  return run;
}
