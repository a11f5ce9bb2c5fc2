// Daily compaction of the archive (the cron): a day's many small part files become few files without repeated
// message ids or erased people's rows. Write first, then delete: a crash between the two leaves both copies, which
// every reader through Attune drops as duplicates, and the rerun writes the same names again — never a loss.
import { deleteKeys, filesOfDay } from './bucket.js';
import type { Row } from './columns.js';
import { compactKey, dayBefore, parseKey } from './layout.js';
import { idsDigest, mergeRows, tombstoneSet, type IdKind, type ListedFile, type Tombstones } from './merge.js';
import { openFile, ParquetFileBuilder } from './parquet.js';
import { PARQUET_TYPE } from './write.js';
import { dueDays, markCompacted, writesOf } from './day-state.js';
import { forgetProfileDays, loadTombstones, markTombstonesDone, pendingTombstoneDays, tombstonedIdsOn } from './tombstones.js';
import { purgeArchive } from './purge.js';

/** Rows per compacted file at most: DuckDB and Spark read files of this size well (a few MB each). */
export const MAX_ROWS = 200_000;
/**
 * Rows decoded and merged at once, and the row group size of compacted files: a 200,000-row day compacted in
 * Node with a 64 MB heap peaked ~54 MB above its base at this size, and ran out of memory at 20,000 (docs/archive.md).
 */
export const SLICE_ROWS = 10_000;
/**
 * Rows one call reads before it stops taking more files (≈ 3 minutes of CPU at ~60 µs a row measured here): a
 * bigger day is finished by the next runs, each a complete compaction of the files it took.
 */
export const RUN_ROWS = 3_000_000;

export interface CompactOptions {
  tombstones?: Tombstones;
  maxRows?: number;
  sliceRows?: number;
  /** stop taking more files once this many rows were read (the rest is left for the next call) */
  runRows?: number;
  /** ids to look for: the result says which of them the day's files still hold */
  watch?: readonly [IdKind, string][];
  /** leave the day alone when all its files are compacted already (nothing was written since) */
  skipCompacted?: boolean;
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
  /** false when files were left for the next call (runRows) */
  complete: boolean;
}

const isCompacted = (key: string) => parseKey(key)?.file.startsWith('compact-') ?? false;

/**
 * The rows of these files (in upload order: a client's retry, sent soon after the lost answer, mostly lands in the
 * same slice as the first copy) in slices of at most `sliceRows`; a big file is read by row ranges.
 */
async function* slices(bucket: R2Bucket, site: string, day: string, files: readonly ListedFile[], sliceRows: number): AsyncGenerator<Row[]> {
  let cur: Row[] = [];
  for (const f of files) {
    const obj = await bucket.get(f.key);
    // Gone since the list: another run replaced it, after writing its rows. Nothing of this day is deleted now.
    if (!obj) throw new Error(`archive: ${f.key} vanished while compacting ${site} ${day}; another compaction ran, try again`);
    const file = openFile(await obj.arrayBuffer(), f.key);
    for (let start = 0; start < file.rows; ) {
      const end = Math.min(file.rows, start + sliceRows - cur.length);
      for (const r of await file.read(start, end)) cur.push(r); // not push(...rows): a spread of many rows overflows the stack
      start = end;
      if (cur.length >= sliceRows) {
        yield cur;
        cur = [];
      }
    }
  }
  if (cur.length) yield cur;
}

/**
 * Compacts one day of one site into files of at most `maxRows`, built a slice at a time. Within a file each
 * message id is kept once (the earliest received within a slice, the first seen across slices); a repeat in
 * another file of the same day (only on days past `maxRows`) is left to readers, which drop it. Safe to run
 * again at any point; files written while it runs are left for the next run.
 */
export async function compactDay(bucket: R2Bucket, site: string, day: string, opts: CompactOptions = {}): Promise<DayCompaction> {
  const files = await filesOfDay(bucket, site, day);
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const sliceRows = opts.sliceRows ?? SLICE_ROWS;
  const watch = new Map((opts.watch ?? []).map(([k, id]) => [`${k}\u0000${id}`, [k, id] as [IdKind, string]]));
  const present = new Set<string>();
  const out: DayCompaction = { day, filesIn: files.length, filesOut: 0, rowsIn: 0, rowsOut: 0, duplicates: 0, erased: 0, written: [], deleted: [], present: [], complete: true };
  if (opts.skipCompacted && !watch.size && files.every((f) => isCompacted(f.key))) return { ...out, filesOut: files.length };
  // Full compacted files stay as they are unless an erased person may be in them.
  const full = watch.size ? [] : files.filter((f) => isCompacted(f.key) && (f.rows ?? 0) >= maxRows);
  const rest = files.filter((f) => !full.includes(f)).sort((a, b) => a.uploaded - b.uploaded || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken: ListedFile[] = [];
  let rowsTaken = 0;
  for (const f of rest) {
    if (taken.length && rowsTaken + (f.rows ?? maxRows) > (opts.runRows ?? RUN_ROWS)) break;
    taken.push(f);
    rowsTaken += f.rows ?? maxRows;
  }
  // Done when no part file is left: compacted files left over are merged no further (the day has few files).
  out.complete = rest.slice(taken.length).every((f) => isCompacted(f.key));
  const had = new Set(taken.map((f) => f.key));
  const keep = new Set<string>();
  let file: ParquetFileBuilder | null = null;
  let seen = new Set<string>();
  const flush = async () => {
    if (!file) return;
    const key = compactKey(site, day, await idsDigest([...seen]));
    keep.add(key);
    out.rowsOut += file.rows;
    // A compacted file of this name holds these rows already (a day compacted before, or a rerun).
    if (!had.has(key)) {
      await bucket.put(key, file.finish(), { httpMetadata: { contentType: PARQUET_TYPE }, customMetadata: { rows: String(file.rows) } });
      out.written.push(key);
    }
    file = null;
    seen = new Set();
  };
  for await (const slice of slices(bucket, site, day, taken, sliceRows)) {
    out.rowsIn += slice.length;
    const m = mergeRows(slice, opts.tombstones);
    out.erased += m.erased;
    let rows = m.rows.filter((r) => !seen.has(String(r.message_id)));
    out.duplicates += m.duplicates + m.rows.length - rows.length;
    if (watch.size) for (const r of rows) for (const s of [`anonymous\u0000${r.anonymous_id}`, `user\u0000${r.user_id}`]) if (watch.has(s)) present.add(s);
    while (rows.length) {
      const f: ParquetFileBuilder = (file ??= new ParquetFileBuilder());
      const take = rows.slice(0, maxRows - f.rows);
      f.add(take, sliceRows);
      for (const r of take) seen.add(String(r.message_id));
      rows = rows.slice(take.length);
      if (f.rows >= maxRows) await flush();
    }
  }
  await flush();
  out.filesOut = keep.size + full.length + rest.length - taken.length;
  await opts.beforeDelete?.();
  out.deleted = taken.map((f) => f.key).filter((k) => !keep.has(k));
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
    // Yesterday is looked at on every run; it is read again only when something was written or erased since.
    const r = await compactDay(bucket, site.id, day, { ...opts, tombstones, watch, skipCompacted: !due.includes(day) && !pending.includes(day) });
    const still = new Set(r.present.map(([k, id]) => `${k}\u0000${id}`));
    run.days.push(r);
    if (!r.complete) {
      run.left.push(day); // still due: the next run takes the files left
      continue;
    }
    await forgetProfileDays(db, site.id, day, watch.filter(([k, id]) => !still.has(`${k}\u0000${id}`)));
    await markCompacted(db, site.id, day, writes);
  }
  // Tombstones recorded up to `now` were all applied to every day they name (none was left for later).
  if (!run.left.some((d) => pending.includes(d))) run.tombstonesDone = await markTombstonesDone(db, site.id, now, now);
  return run;
}
