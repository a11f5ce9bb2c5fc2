-- The event archive's bookkeeping in D1 (the events themselves are Parquet in R2; docs/archive.md).
-- Which day partitions hold a person's events, so erase and export read and rewrite only those days.
CREATE TABLE IF NOT EXISTS archive_profile_days (
  site TEXT NOT NULL,
  id_kind TEXT NOT NULL,
  id TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (site, id_kind, id, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS archive_profile_days_day ON archive_profile_days (site, day);
-- Files written into a day (a counter) against the count its last compaction saw: a day is due while writes > compacted.
CREATE TABLE IF NOT EXISTS archive_days (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  writes INTEGER NOT NULL DEFAULT 0,
  compacted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;
-- Erased ids: every read of the archive through Attune hides their rows received up to erased_at (epoch ms), and
-- compaction removes them from the files; done_at is set once the days the index named were rewritten.
CREATE TABLE IF NOT EXISTS archive_tombstones (
  site TEXT NOT NULL,
  id_kind TEXT NOT NULL,
  id TEXT NOT NULL,
  erased_at INTEGER NOT NULL,
  done_at INTEGER,
  PRIMARY KEY (site, id_kind, id)
) WITHOUT ROWID;
