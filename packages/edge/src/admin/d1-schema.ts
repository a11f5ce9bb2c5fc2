// The admin accounts' and audit log's D1 tables as the Worker applies them, once per isolate:
// migrations/0014_admin_accounts.sql (a test keeps them equal), so a fresh `wrangler dev` needs no migration step.
import { schemaOnce } from '../log/schema-once.js';

export const ADMIN_D1_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS admin_accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  salt TEXT NOT NULL,
  iterations INTEGER NOT NULL,
  stamp TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
)`,
];

export const ensureAdminSchema = schemaOnce(ADMIN_D1_SCHEMA);
