// Who may use the admin API: the bearer ATTUNE_ADMIN_TOKEN (the owner), compared in constant time, or the
// dashboard's session cookie (the owner, or a named account with its role; admin/session.ts). `dev-admin` only
// while ATTUNE_ENV is development; no token configured means no admin API. Wrong tokens are rate limited per
// client (http/rate-limit.ts), with wrong passwords in the same budget.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { fail } from '../http/errors.js';
import { sameSecret, workerSecret } from '../http/secrets.js';
import { countAdminFailure, refuseLockedOut } from '../http/rate-limit.js';
import { allows, OWNER, type Role } from './actor.js';
import { adminSession } from './session.js';

export const adminToken = (env: { ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string }): string | null => workerSecret(env, 'ATTUNE_ADMIN_TOKEN', 'dev-admin');

/**
 * Lets the request through for an actor holding `role` or a higher one (viewer < editor < publisher < owner),
 * and sets `c.var.actor` to who it is, for actorOf and the audit log. 401 without valid credentials, 403 naming
 * the role needed and the role held.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = adminToken(c.env);
    if (!token) fail(403, 'the admin API is disabled: set the ATTUNE_ADMIN_TOKEN secret');
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (m) {
      // A locked-out client is refused before its token is compared, so a right guess looks like a wrong one.
      await refuseLockedOut(c);
      if (!(await sameSecret(m[1]!.trim(), token))) {
        await countAdminFailure(c);
        fail(401, 'wrong admin token', { 'WWW-Authenticate': 'Bearer' });
      }
      c.set('actor', OWNER);
    } else {
      // Without a Bearer header, the dashboard's session cookie may stand in for the token (admin/session.ts).
      const s = await adminSession(c, token);
      if (!s) fail(401, 'missing admin token: send "Authorization: Bearer <ATTUNE_ADMIN_TOKEN>"', { 'WWW-Authenticate': 'Bearer' });
      c.set('actor', s.actor);
    }
    const actor = c.var.actor!;
    if (!allows(actor, role))
      fail(403, `${c.req.method} ${new URL(c.req.url).pathname} needs the ${role} role or higher; "${actor.name}" is ${actor.role === 'editor' ? 'an' : 'a'} ${actor.role}`);
    await next();
  };
}

/** The owner only: the admin token, or a session signed in with it. What every admin route was before accounts. */
export const requireAdmin = (): MiddlewareHandler<AppEnv> => requireRole('owner');
