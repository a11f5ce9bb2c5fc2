// Bearer ATTUNE_ADMIN_TOKEN, compared in constant time; `dev-admin` only while ATTUNE_ENV is development;
// no token configured means no admin API. Wrong tokens are rate limited per client (http/rate-limit.ts).
import type { MiddlewareHandler } from 'hono';
import { fail } from '../http/errors.js';
import { sameSecret, workerSecret } from '../http/secrets.js';
import { countAdminFailure, refuseLockedOut } from '../http/rate-limit.js';
import { adminSession } from './session.js';

export const adminToken = (env: { ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string }): string | null => workerSecret(env, 'ATTUNE_ADMIN_TOKEN', 'dev-admin');

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
