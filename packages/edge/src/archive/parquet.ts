// Rows ↔ Parquet bytes, with hyparquet-writer and hyparquet (pure JavaScript, no node: API, so they run in
// workerd). Pure: no I/O. Snappy-compressed (DuckDB, Spark, ClickHouse and BigQuery all read it).
// JSON columns are written as UTF-8 strings encoded here: the writer's own JSON type rebuilds objects key by key and
// so would drop a `__proto__` key (and Parquet's JSON type reads as a BLOB in DuckDB when only the logical type is set).
import { parquetMetadata, parquetReadObjects, type SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer/src/index.js';
import type { AcceptedEvent } from '../contract/events.js';
import { ARCHIVE_SCHEMA_VERSION, COLUMNS, fromRow, toRow, type Row } from './columns.js';

export const VERSION_KEY = 'attune.archive.schema_version';

const TIMESTAMP = { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } as const;

function element(column: string, kind: 'string' | 'timestamp' | 'json', required: boolean): SchemaElement {
  const repetition_type = required ? 'REQUIRED' : 'OPTIONAL';
  if (kind === 'timestamp') return { name: column, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: TIMESTAMP, repetition_type };
  return { name: column, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
}

/** The file schema: schema_version, the envelope's columns, then `extra`. */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: COLUMNS.length + 2 },
  { name: 'schema_version', type: 'INT32', repetition_type: 'REQUIRED' },
  ...COLUMNS.map((c) => element(c.column, c.kind, !!c.required)),
  element('extra', 'json', false),
];

const JSON_COLUMNS = new Set([...COLUMNS.filter((c) => c.kind === 'json').map((c) => c.column), 'extra']);

function columnsOf(rows: readonly Row[]) {
  return PARQUET_SCHEMA.slice(1).map(({ name }) => ({
    name,
    data: name === 'schema_version' ? new Int32Array(rows.length).fill(ARCHIVE_SCHEMA_VERSION) : rows.map((r) => r[name] ?? null),
    // Bounds of whole JSON documents would bloat the footer and prune nothing.
    ...(JSON_COLUMNS.has(name) ? { statistics: false } : {}),
  }));
}

/**
 * One Parquet file built a row group at a time, so compaction holds only the rows of the group it is adding
 * (and the compressed bytes so far), not the whole file's rows.
 */
export class ParquetFileBuilder {
  private readonly out = new ByteWriter();
  private readonly pq = new ParquetWriter({
    writer: this.out,
    schema: PARQUET_SCHEMA,
    codec: 'SNAPPY',
    kvMetadata: [{ key: VERSION_KEY, value: String(ARCHIVE_SCHEMA_VERSION) }],
    createdBy: 'attune archive',
  });
  rows = 0;

  /** Adds rows as row groups of at most `groupRows`. */
  add(rows: readonly Row[], groupRows = 20_000): void {
    if (!rows.length) return;
    void this.pq.write({ columnData: columnsOf(rows), rowGroupSize: groupRows }); // synchronous: ByteWriter has no flush
    this.rows += rows.length;
  }

  finish(): Uint8Array {
    if (!this.rows) throw new Error('archive: no rows to encode');
    void this.pq.finish();
    return new Uint8Array(this.out.getBuffer());
  }
}

/** Rows as one Parquet file. An empty list is refused: the archive writes no empty files. */
export function encodeRows(rows: readonly Row[]): Uint8Array {
  const b = new ParquetFileBuilder();
  b.add(rows);
  return b.finish();
}

const decoder = new TextDecoder();
const PARSERS = {
  // As stored: epoch milliseconds and JSON text; columns.ts turns them into the event's own values.
  timestampFromMilliseconds: (ms: bigint | number) => Number(ms),
  stringFromBytes: (b: Uint8Array) => b && decoder.decode(b),
};

const asBuffer = (bytes: ArrayBuffer | Uint8Array): ArrayBuffer =>
  bytes instanceof Uint8Array ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) : bytes;

/** An archive file opened for reading by row ranges. Refuses a file of another schema version, naming it. */
export function openFile(bytes: ArrayBuffer | Uint8Array, name = 'file') {
  const file = asBuffer(bytes);
  const metadata = parquetMetadata(file);
  const version = metadata.key_value_metadata?.find((kv) => kv.key === VERSION_KEY)?.value;
  if (version !== String(ARCHIVE_SCHEMA_VERSION))
    throw new Error(`archive: ${name} has schema version ${JSON.stringify(version ?? null)}, this reader reads ${ARCHIVE_SCHEMA_VERSION}`);
  return {
    rows: Number(metadata.num_rows),
    read: async (rowStart = 0, rowEnd = Number(metadata.num_rows)): Promise<Row[]> =>
      (await parquetReadObjects({ file, metadata, rowStart, rowEnd, parsers: PARSERS })) as Row[],
  };
}

/** A Parquet file of this archive back as rows. */
export async function decodeRows(bytes: ArrayBuffer | Uint8Array, name = 'file'): Promise<Row[]> {
  return openFile(bytes, name).read();
}

export const encodeEvents = (events: readonly AcceptedEvent[]): Uint8Array => encodeRows(events.map(toRow));

export async function decodeEvents(bytes: ArrayBuffer | Uint8Array, name?: string): Promise<AcceptedEvent[]> {
  return (await decodeRows(bytes, name)).map(fromRow);
}
