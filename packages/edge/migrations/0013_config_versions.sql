-- Config versions (issue 21): every publish is an immutable row; the highest version is the live config, which
-- KV config:current serves (config/store.ts). A publish inserts version max+1 only while max is the version the
-- publisher started from, in one statement, so of two racing publishers exactly one gets the number.
-- published_at is epoch ms; restored_from names the version a restore copied.
CREATE TABLE IF NOT EXISTS config_versions (
  version INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  config TEXT NOT NULL,
  published_by TEXT NOT NULL,
  role TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  comment TEXT NOT NULL,
  restored_from INTEGER
);
-- Drafts: named work in progress, saved even when invalid, with the version they started from.
CREATE TABLE IF NOT EXISTS config_drafts (
  name TEXT PRIMARY KEY,
  base_version INTEGER NOT NULL,
  config TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
