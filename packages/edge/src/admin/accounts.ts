// Named admin accounts in D1 (migrations/0014_admin_accounts.sql), set up by the owner: a name, a role and a
// PBKDF2 password hash. Each account has a stamp its sessions carry; a new stamp (role or password changed,
// account removed) ends every session signed in before, because the session check compares them.
import { randomId } from '../http/hmac-key.js';
import type { AccountBody } from '../contract/studio.js';
import type { Role } from './actor.js';
import { ensureAdminSchema } from './d1-schema.js';
import type { PasswordHash } from './passwords.js';

export type AccountRole = Exclude<Role, 'owner'>;

export interface Account extends PasswordHash {
  name: string;
  role: AccountRole;
  stamp: string;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  name: string;
  role: AccountRole;
  password_hash: string;
  salt: string;
  iterations: number;
  stamp: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Account => ({
  name: r.name,
  role: r.role,
  hash: r.password_hash,
  salt: r.salt,
  iterations: r.iterations,
  stamp: r.stamp,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Pure: the account as the API shows it, never its hash, salt or stamp. */
export const publicAccount = (a: Account): AccountBody => ({
  name: a.name,
  role: a.role,
  createdAt: new Date(a.createdAt).toISOString(),
  updatedAt: new Date(a.updatedAt).toISOString(),
});

export async function getAccount(db: D1Database, name: string): Promise<Account | null> {
  await ensureAdminSchema(db);
  const r = await db.prepare('SELECT * FROM admin_accounts WHERE name = ?').bind(name).first<Row>();
  return r ? fromRow(r) : null;
}

export async function listAccounts(db: D1Database): Promise<Account[]> {
  await ensureAdminSchema(db);
  const { results } = await db.prepare('SELECT * FROM admin_accounts ORDER BY name').all<Row>();
  return results.map(fromRow);
}

/** Inserts a new account; null when the name is taken (the insert is conditional, so two racing creates make one). */
export async function createAccount(db: D1Database, name: string, role: AccountRole, password: PasswordHash, now: number): Promise<Account | null> {
  await ensureAdminSchema(db);
  const stamp = randomId();
  const r = await db
    .prepare('INSERT INTO admin_accounts (name, role, password_hash, salt, iterations, stamp, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
    .bind(name, role, password.hash, password.salt, password.iterations, stamp, now, now)
    .run();
  if (!r.meta.changes) return null;
  return { name, role, ...password, stamp, createdAt: now, updatedAt: now };
}

/** Changes the role and/or password and gives the account a new stamp (its sessions end); null when there is none. */
export async function updateAccount(db: D1Database, name: string, change: { role?: AccountRole; password?: PasswordHash }, now: number): Promise<Account | null> {
  await ensureAdminSchema(db);
  const p = change.password;
  const r = await db
    .prepare(
      `UPDATE admin_accounts SET role = coalesce(?, role), password_hash = coalesce(?, password_hash), salt = coalesce(?, salt),
       iterations = coalesce(?, iterations), stamp = ?, updated_at = ? WHERE name = ? RETURNING *`,
    )
    .bind(change.role ?? null, p?.hash ?? null, p?.salt ?? null, p?.iterations ?? null, randomId(), now, name)
    .first<Row>();
  return r ? fromRow(r) : null;
}

/** Whether there was such an account. Its sessions fail from the next request on (the lookup finds nothing). */
export async function removeAccount(db: D1Database, name: string): Promise<boolean> {
  await ensureAdminSchema(db);
  const r = await db.prepare('DELETE FROM admin_accounts WHERE name = ?').bind(name).run();
  return r.meta.changes > 0;
}
