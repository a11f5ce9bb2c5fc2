// POST /v1/admin/session signs the dashboard in (the admin token in the JSON body → the session cookie),
// GET tells whether the cookie still holds, DELETE signs out. API clients and the CLI keep using Bearer.
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { countAdminFailure, refuseLockedOut } from '../http/rate-limit.js';
import { sameSecret } from '../http/secrets.js';
import { adminToken, requireAdmin } from './auth.js';
import { foreignRequest, issueSession, readSession, revokeSession, SESSION_COOKIE, SESSION_MS, SESSION_PATH } from './session.js';

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:';

export function sessionRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/session', async (c) => {
    const token = adminToken(c.env) ?? fail(403, 'the admin API is disabled: set the ATTUNE_ADMIN_TOKEN secret');
    const foreign = foreignRequest(c);
    if (foreign) fail(403, `sign-in is not accepted from ${foreign}: open the dashboard on this origin`);
    // The same budget as a wrong Bearer token (http/rate-limit.ts): a locked-out client is refused first.
    await refuseLockedOut(c);
    const body = await readJsonObject(c, 4096, 'for a sign-in');
    if (typeof body.token !== 'string' || !body.token.trim()) fail(400, 'token: the admin token (ATTUNE_ADMIN_TOKEN), as a string');
    if (!(await sameSecret(body.token.trim(), token))) {
      await countAdminFailure(c);
      fail(401, 'wrong admin token', { 'WWW-Authenticate': 'Bearer' });
    }
    const s = await issueSession(token, Date.now());
    setCookie(c, SESSION_COOKIE, s.value, { path: SESSION_PATH, httpOnly: true, secure: isHttps(c), sameSite: 'Strict', maxAge: SESSION_MS / 1000 });
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true, expires: new Date(s.expires).toISOString() });
  });

  // Whether the dashboard is signed in (it cannot read its HttpOnly cookie), and until when.
  app.get('/session', requireAdmin(), async (c) => {
    const value = getCookie(c, SESSION_COOKIE);
    const s = value ? await readSession(adminToken(c.env)!, value, Date.now()) : null;
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true, session: s && 'expires' in s ? { expires: new Date(s.expires).toISOString() } : null });
  });

  app.delete('/session', requireAdmin(), async (c) => {
    const value = getCookie(c, SESSION_COOKIE);
    const s = value ? await readSession(adminToken(c.env)!, value, Date.now()) : null;
    if (s && 'id' in s) await revokeSession(c.env.PROFILES, s, Date.now());
    deleteCookie(c, SESSION_COOKIE, { path: SESSION_PATH, httpOnly: true, secure: isHttps(c), sameSite: 'Strict' });
    return c.json({ success: true });
  });

  return app;
}
