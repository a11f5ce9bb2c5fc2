// Dashboard sessions. After sign-in with the admin token (the owner) or an account's name and password, the
// browser holds an HttpOnly cookie with a signed session value, so no secret sits in page storage where a script
// could read it. The HMAC key is derived from the admin token: rotating the token ends every session. The value
// carries its own expiry and, for an account, its name, role and the account's stamp (all under the signature);
// sign-out puts its id on a KV deny-list until then, and an account removed or changed no longer has that stamp.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { fail } from '../http/errors.js';
import { derivedKey, randomId, sign, verify } from '../http/hmac-key.js';
import { getAccount } from './accounts.js';
import { OWNER, type Actor } from './actor.js';

export const SESSION_COOKIE = 'attune_admin';
export const SESSION_MS = 12 * 3_600_000;
/**
 * Only the API needs the cookie. Not `/`: in proxy mode (ORIGIN) every page request is forwarded to the
 * shop's server with its cookies, and an admin session must never travel there.
 */
export const SESSION_PATH = '/v1';
const LABEL = 'attune/admin-session/v1';
const revokedKey = (id: string) => `admin:session-revoked:${id}`;

export interface Session {
  id: string;
  /** ms since the epoch */
  expires: number;
  /** Who signed in: the owner (the admin token) or an account */
  actor: Actor;
  /** The account's stamp at sign-in (admin/accounts.ts); absent for the owner */
  stamp?: string;
}

/** An account's sign-in: its name, role and current stamp go under the signature. */
export interface SignedInAccount {
  name: string;
  role: Exclude<Actor['role'], 'owner'>;
  stamp: string;
}

/**
 * The owner's value is `<id>.<expires>.<sig>` (as before accounts), an account's
 * `<id>.<expires>.<role>.<stamp>.<name>.<sig>`: the name last, since it may hold dots and nothing after it but the
 * signature (base64url, no dots) does.
 */
export async function issueSession(adminToken: string, now: number, account?: SignedInAccount): Promise<Session & { value: string }> {
  const id = randomId();
  const expires = now + SESSION_MS;
  const body = account ? `${id}.${expires}.${account.role}.${account.stamp}.${account.name}` : `${id}.${expires}`;
  const actor: Actor = account ? { name: account.name, role: account.role } : OWNER;
  return { id, expires, actor, ...(account && { stamp: account.stamp }), value: `${body}.${await sign(await derivedKey(adminToken, LABEL), body)}` };
}

const VALUE = /^([A-Za-z0-9_-]{22})\.(\d{13,15})(?:\.(viewer|editor|publisher)\.([A-Za-z0-9_-]{22})\.([a-z0-9._-]{2,40}))?\.([A-Za-z0-9_-]{43})$/;

/** The session a cookie value stands for, or why it stands for none. Pure but for the crypto. */
export async function readSession(adminToken: string, value: string, now: number): Promise<Session | { error: string }> {
  const m = VALUE.exec(value);
  const body = m && value.slice(0, value.length - 44);
  if (!m || !(await verify(await derivedKey(adminToken, LABEL), body!, m[6]!)))
    return { error: 'the admin session is not valid here (the admin token may have changed): sign in again' };
  const expires = Number(m[2]);
  if (expires <= now) return { error: 'the admin session has expired: sign in again' };
  if (!m[3]) return { id: m[1]!, expires, actor: OWNER };
  return { id: m[1]!, expires, actor: { name: m[5]!, role: m[3] as SignedInAccount['role'] }, stamp: m[4]! };
}

export const isRevoked = async (kv: KVNamespace, id: string) => (await kv.get(revokedKey(id))) !== null;

/** Sign-out: the id is refused until the value would have expired anyway (KV keeps it no longer). */
export async function revokeSession(kv: KVNamespace, s: Session, now: number): Promise<void> {
  await kv.put(revokedKey(s.id), '1', { expirationTtl: Math.max(61, Math.ceil((s.expires - now) / 1000)) }); // relative: KV keeps its own clock
}

/**
 * A request a browser sent for another origin. Cookies ride along on cross-origin requests from the same
 * site (and the CORS middleware grants credentials to the shop's origins), so a session is honoured only on
 * the Worker's own origin, whatever the method: `Origin` when present, and `Sec-Fetch-Site` as browsers set it.
 */
export function foreignRequest(c: Context): string | null {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) return `origin ${origin}`;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request`;
  return null;
}

/**
 * requireRole's hook: the session the cookie proves, or null when there is no cookie. A cookie that is
 * wrong, expired or signed out, or whose account was removed or changed since, is a 401 that says so; one sent
 * from another origin a 403.
 */
export async function adminSession(c: Context, adminToken: string): Promise<Session | null> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value) return null;
  const foreign = foreignRequest(c);
  if (foreign) fail(403, `the admin session is not accepted from ${foreign}: use the dashboard on this origin, or a Bearer token`);
  const s = await readSession(adminToken, value, Date.now());
  if ('error' in s) fail(401, s.error, { 'WWW-Authenticate': 'Bearer' });
  const env = c.env as { PROFILES: KVNamespace; EVENTS: D1Database };
  if (await isRevoked(env.PROFILES, s.id)) fail(401, 'the admin session was signed out: sign in again', { 'WWW-Authenticate': 'Bearer' });
  if (s.stamp !== undefined) {
    // Read on every request, not cached: removing an account or changing its role must hold at once.
    const account = await getAccount(env.EVENTS, s.actor.name);
    if (!account) fail(401, `the account "${s.actor.name}" was removed: ask the site owner for an account`, { 'WWW-Authenticate': 'Bearer' });
    if (account.stamp !== s.stamp)
      fail(401, `the account "${s.actor.name}" changed (role or password) since this sign-in: sign in again`, { 'WWW-Authenticate': 'Bearer' });
  }
  return s;
}
