// The archive's D1 tables as the Worker applies them, once per isolate: migrations/0011_archive.sql (a test keeps
// them equal). The Parquet files are in R2; these say where a person's rows are, which days are due for
// compaction, and who was erased.
import { schemaOnce } from '../log/schema-once.js';

export const ARCHIVE_D1_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS archive_profile_days (
  site TEXT NOT NULL,
  id_kind TEXT NOT NULL,
  id TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (site, id_kind, id, day)
) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS archive_profile_days_day ON archive_profile_days (site, day)',
  `CREATE TABLE IF NOT EXISTS archive_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  writes INTEGER NOT NULL DEFAULT 0,
  compacted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS archive_tombstones (
  site TEXT NOT NULL,
  id_kind TEXT NOT NULL,
  id TEXT NOT NULL,
  erased_at INTEGER NOT NULL,
  done_at INTEGER,
  PRIMARY KEY (site, id_kind, id)
) WITHOUT ROWID`,
];

export const ensureArchiveSchema = schemaOnce(ARCHIVE_D1_SCHEMA);
