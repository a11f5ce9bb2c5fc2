// One archive file without the rows of erased people, for the admin export: the stored file cannot be served while
// a tombstone hides rows in it, and no compaction has rewritten it yet. Pure: bytes in, bytes out.
import { ParquetWriter, ByteWriter } from 'hyparquet-writer/src/index.js';
import { ARCHIVE_SCHEMA_VERSION } from './columns.js';
import { SLICE_ROWS } from './compact.js';
import { isErased, type Tombstones } from './merge.js';
import { openFile, ParquetFileBuilder, PARQUET_SCHEMA, VERSION_KEY } from './parquet.js';

export interface FilteredFile {
  bytes: Uint8Array<ArrayBuffer>;
  rows: number;
  hidden: number;
}

/** A valid archive file of no rows (every row of a file was an erased person's): engines read it as empty. */
export function emptyFile(): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter();
  const pq = new ParquetWriter({
    writer: out,
    schema: PARQUET_SCHEMA,
    codec: 'SNAPPY',
    kvMetadata: [{ key: VERSION_KEY, value: String(ARCHIVE_SCHEMA_VERSION) }],
    createdBy: 'attune archive',
  });
  void pq.finish(); // synchronous: ByteWriter has no flush
  return new Uint8Array(out.getBuffer());
}

/**
 * The file's rows that no tombstone hides, in their order, re-encoded; null when no row is hidden (serve the
 * stored bytes as they are). Read and written `sliceRows` at a time: a compacted file of 200,000 rows decoded at
 * once would not fit in a Worker's memory.
 */
export async function withoutErased(bytes: ArrayBuffer | Uint8Array, name: string, tombstones: Tombstones, sliceRows = SLICE_ROWS): Promise<FilteredFile | null> {
  if (!tombstones.size) return null;
  const file = openFile(bytes, name);
  const out = new ParquetFileBuilder();
  let hidden = 0;
  for (let start = 0; start < file.rows; start += sliceRows) {
    const rows = await file.read(start, Math.min(file.rows, start + sliceRows));
    const kept = rows.filter((r) => !isErased(r, tombstones));
    hidden += rows.length - kept.length;
    out.add(kept, sliceRows);
  }
  if (!hidden) return null;
  // The builder's bytes live in an ArrayBuffer of its own (ByteWriter), never a shared one.
  return { bytes: out.rows ? (out.finish() as Uint8Array<ArrayBuffer>) : emptyFile(), rows: out.rows, hidden };
}
