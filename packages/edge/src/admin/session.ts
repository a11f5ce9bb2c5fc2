// Dashboard sessions. After sign-in with the admin token the browser holds an HttpOnly cookie with a signed
// session value, so the token never sits in page storage where a script could read it. The HMAC key is
// derived from the admin token: rotating the token ends every session. The value carries its own expiry
// (under the signature); sign-out puts its id on a KV deny-list until then.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { fail } from '../http/errors.js';
import { derivedKey, randomId, sign, verify } from '../http/hmac-key.js';

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
}

export async function issueSession(adminToken: string, now: number): Promise<Session & { value: string }> {
  const id = randomId();
  const expires = now + SESSION_MS;
  const body = `${id}.${expires}`;
  return { id, expires, value: `${body}.${await sign(await derivedKey(adminToken, LABEL), body)}` };
}

/** The session a cookie value stands for, or why it stands for none. Pure but for the crypto. */
export async function readSession(adminToken: string, value: string, now: number): Promise<Session | { error: string }> {
  const m = /^([A-Za-z0-9_-]{22})\.(\d{13,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m || !(await verify(await derivedKey(adminToken, LABEL), `${m[1]}.${m[2]}`, m[3]!)))
    return { error: 'the admin session is not valid here (the admin token may have changed): sign in again' };
  const expires = Number(m[2]);
  if (expires <= now) return { error: 'the admin session has expired: sign in again' };
  return { id: m[1]!, expires };
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
 * requireAdmin's hook: the session the cookie proves, or null when there is no cookie. A cookie that is
 * wrong, expired or signed out is a 401 that says so; one sent from another origin a 403.
 */
export async function adminSession(c: Context, adminToken: string): Promise<Session | null> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value) return null;
  const foreign = foreignRequest(c);
  if (foreign) fail(403, `the admin session is not accepted from ${foreign}: use the dashboard on this origin, or a Bearer token`);
  const s = await readSession(adminToken, value, Date.now());
  if ('error' in s) fail(401, s.error, { 'WWW-Authenticate': 'Bearer' });
  if (await isRevoked((c.env as { PROFILES: KVNamespace }).PROFILES, s.id)) fail(401, 'the admin session was signed out: sign in again', { 'WWW-Authenticate': 'Bearer' });
  return s;
}
