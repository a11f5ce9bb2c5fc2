// What compaction makes of a day's rows that fit in memory at once, without I/O: the merged rows (each message id
// once, erased people gone, in time order) cut into files of at most `maxRows`, each named by its content.
// compact.ts does the same a slice at a time against R2; the DuckDB test runs this over files on disk.
import type { Row } from './columns.js';
import { chunk, idsDigest, mergeRows, type Tombstones } from './merge.js';

export interface PlannedFile {
  /** names the file: compactKey(site, day, digest) */
  digest: string;
  rows: Row[];
}

export interface CompactionPlan {
  files: PlannedFile[];
  rowsIn: number;
  duplicates: number;
  erased: number;
}

export async function planCompaction(rows: readonly Row[], tombstones: Tombstones | undefined, maxRows: number): Promise<CompactionPlan> {
  const m = mergeRows(rows, tombstones);
  const files: PlannedFile[] = [];
  for (const part of chunk(m.rows, maxRows)) files.push({ digest: await idsDigest(part.map((r) => String(r.message_id))), rows: part });
  return { files, rowsIn: rows.length, duplicates: m.duplicates, erased: m.erased };
}
