-- Named admin accounts (src/admin/accounts.ts) and the admin audit log (src/admin/audit.ts). Kept in step with
-- src/admin/d1-schema.ts (a test compares them): the Worker also applies it itself.
-- stamp is a random value every session of the account carries under its signature: a new one (password or role
-- changed, account removed and made again) ends the sessions signed in before.
CREATE TABLE IF NOT EXISTS admin_accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  salt TEXT NOT NULL,
  iterations INTEGER NOT NULL,
  stamp TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
-- Who did what in the admin API, newest last (id grows); at is epoch ms, detail a JSON object.
CREATE TABLE IF NOT EXISTS admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
