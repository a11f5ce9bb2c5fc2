// The admin audit log: who signed in (or failed to), published, restored, saved a draft, made a preview link or
// changed an account, in D1 (migrations/0014_admin_accounts.sql). Recording never fails the request it belongs
// to: an audit write that fails is logged and the publish it describes still stands.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { actorOf, type Actor, type Role } from './actor.js';
import { ensureAdminSchema } from './d1-schema.js';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'account-created',
  'account-changed',
  'account-removed',
  'publish',
  'restore',
  'draft-saved',
  'preview-created',
  'preview-revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who an entry is about where no one is signed in yet: a failed sign-in names the name tried, with no role. */
export interface AuditActor {
  name: string;
  role: Role | null;
}

/** Detail keys never stored, whoever passes them: an audit log must not become a list of secrets. */
const SECRET_KEY = /pass(word)?|token|secret|cookie/i;
const MAX_DETAIL_CHARS = 4000;

/** Pure: the detail as stored: secrets dropped, long values cut, the whole kept under MAX_DETAIL_CHARS. */
export function auditDetailJson(detail: Record<string, unknown> | undefined): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail ?? {})) {
    if (SECRET_KEY.test(k)) continue;
    kept[k] = typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v;
  }
  const json = JSON.stringify(kept);
  return json.length <= MAX_DETAIL_CHARS ? json : JSON.stringify({ truncated: true, keys: Object.keys(kept) });
}

/**
 * Appends one entry for the request's actor (actorOf: the account signed in, else the owner). `as` names
 * someone else, for a sign-in that has no actor yet. Never throws: a failure is logged.
 */
export async function recordAudit(
  c: Context<AppEnv>,
  action: AuditAction | (string & {}),
  detail?: Record<string, unknown>,
  as?: AuditActor | Actor,
  now = Date.now(),
): Promise<void> {
  try {
    const who = as ?? actorOf(c);
    const db = c.env.EVENTS;
    await ensureAdminSchema(db);
    await db
      .prepare('INSERT INTO admin_audit (at, actor, role, action, detail) VALUES (?, ?, ?, ?, ?)')
      .bind(now, who.name.slice(0, 80), who.role, action.slice(0, 40), auditDetailJson(detail))
      .run();
  } catch (err) {
    console.error(`admin audit: could not record "${action}":`, err);
  }
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: Role | null;
  action: string;
  detail: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  role: Role | null;
  action: string;
  detail: string;
}

/** Newest first; `before` is an entry id (the last one a page showed), for the next page. */
export async function listAudit(db: D1Database, limit: number, before?: number): Promise<AuditEntry[]> {
  await ensureAdminSchema(db);
  const { results } = await db
    .prepare('SELECT id, at, actor, role, action, detail FROM admin_audit WHERE id < ? ORDER BY id DESC LIMIT ?')
    .bind(before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<AuditRow>();
  return results.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), actor: r.actor, role: r.role, action: r.action, detail: parseDetail(r.detail) }));
}

function parseDetail(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
