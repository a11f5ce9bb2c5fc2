// Bearer ATTUNE_ADMIN_TOKEN, compared in constant time; `dev-admin` only while ATTUNE_ENV is development;
// no token configured means no admin API. Wrong tokens are rate limited per client (http/rate-limit.ts).
import type { MiddlewareHandler } from 'hono';
import { fail } from '../http/errors.js';
import { countAdminFailure, refuseLockedOut } from '../http/rate-limit.js';
import { adminSession } from './session.js';

export function adminToken(env: { ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string }): string | null {
  if (env.ATTUNE_ADMIN_TOKEN) return env.ATTUNE_ADMIN_TOKEN;
  return env.ATTUNE_ENV === 'development' ? 'dev-admin' : null;
}

/** Compares SHA-256 digests (equal length) without an early exit, so neither length nor content leaks through timing. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i]! ^ v[i]!;
  return diff === 0;
}

export function requireAdmin(): MiddlewareHandler<{ Bindings: { ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string } }> {
  return async (c, next) => {
    const token = adminToken(c.env);
    if (!token) fail(403, 'the admin API is disabled: set the ATTUNE_ADMIN_TOKEN secret');
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    // Without a Bearer header, the dashboard's session cookie may stand in for the token (admin/session.ts).
    if (!m && (await adminSession(c, token))) return next();
    if (!m) fail(401, 'missing admin token: send "Authorization: Bearer <ATTUNE_ADMIN_TOKEN>"', { 'WWW-Authenticate': 'Bearer' });
    // A locked-out client is refused before its token is compared, so a right guess looks like a wrong one.
    await refuseLockedOut(c);
    if (!(await sameSecret(m[1]!.trim(), token))) {
      await countAdminFailure(c);
      fail(401, 'wrong admin token', { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
