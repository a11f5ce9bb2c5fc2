// The config versions' and drafts' D1 tables as the Worker applies them, once per isolate:
// migrations/0013_config_versions.sql (a test keeps them equal), so a fresh `wrangler dev` needs no migration step.
import { schemaOnce } from '../log/schema-once.js';

export const CONFIG_VERSIONS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS config_versions (
  version INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  config TEXT NOT NULL,
  published_by TEXT NOT NULL,
  role TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  comment TEXT NOT NULL,
  restored_from INTEGER
)`,
  `CREATE TABLE IF NOT EXISTS config_drafts (
  name TEXT PRIMARY KEY,
  base_version INTEGER NOT NULL,
  config TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID`,
];

export const ensureConfigVersionsSchema = schemaOnce(CONFIG_VERSIONS_SCHEMA);
