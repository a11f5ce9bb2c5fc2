// POST /v1/admin/session signs the dashboard in (the admin token, or an account's name and password, in the JSON
// body → the session cookie), GET tells whether the cookie still holds and as whom, DELETE signs out. API clients
// and the CLI keep using Bearer. The accounts and audit routes (account-routes.ts) are mounted here too.
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import { accountNameSchema } from '../contract/studio.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { countAdminFailure, refuseLockedOut } from '../http/rate-limit.js';
import { sameSecret } from '../http/secrets.js';
import { accountRoutes } from './account-routes.js';
import { getAccount } from './accounts.js';
import { recordAudit } from './audit.js';
import { adminToken, requireRole } from './auth.js';
import { decoyHash, MAX_PASSWORD_LENGTH, passwordMatches } from './passwords.js';
import { foreignRequest, issueSession, readSession, revokeSession, SESSION_COOKIE, SESSION_MS, SESSION_PATH, type SignedInAccount } from './session.js';

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:';

/**
 * The account a name and password sign in, or null. An unknown name costs the same PBKDF2 work as a wrong
 * password (against a decoy hash), so the answer's timing does not tell which names exist.
 */
async function checkPassword(db: D1Database, name: string, password: string): Promise<SignedInAccount | null> {
  const account = await getAccount(db, name);
  const matches = await passwordMatches(password, account ?? (await decoyHash()));
  return account && matches ? { name: account.name, role: account.role, stamp: account.stamp } : null;
}

export function sessionRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/session', async (c) => {
    const token = adminToken(c.env) ?? fail(403, 'the admin API is disabled: set the ATTUNE_ADMIN_TOKEN secret');
    const foreign = foreignRequest(c);
    if (foreign) fail(403, `sign-in is not accepted from ${foreign}: open the dashboard on this origin`);
    // The same budget as a wrong Bearer token (http/rate-limit.ts): a locked-out client is refused first, whether
    // it tries tokens or passwords, so neither can be guessed faster by switching between them.
    await refuseLockedOut(c);
    const body = await readJsonObject(c, 4096, 'for a sign-in');
    let account: SignedInAccount | undefined;
    if (body.name !== undefined || body.password !== undefined) {
      if (body.token !== undefined) fail(400, 'send either "token" (the owner) or "name" and "password" (an account), not both');
      const { name, password } = body;
      if (typeof name !== 'string' || !accountNameSchema.safeParse(name).success) fail(400, 'name: an account name (2-40 characters of a-z, 0-9, ".", "_" or "-"), as a string');
      if (typeof password !== 'string' || !password || password.length > MAX_PASSWORD_LENGTH) fail(400, `password: the account's password, as a string of at most ${MAX_PASSWORD_LENGTH} characters`);
      const found = await checkPassword(c.env.EVENTS, name, password);
      if (!found) {
        // Recorded before counting: the failure that locks a client out is in the log too.
        await recordAudit(c, 'sign-in-failed', { method: 'password', name }, { name, role: null });
        await countAdminFailure(c);
        fail(401, 'wrong account name or password', { 'WWW-Authenticate': 'Bearer' });
      }
      account = found;
    } else {
      if (typeof body.token !== 'string' || !body.token.trim())
        fail(400, 'token: the admin token (ATTUNE_ADMIN_TOKEN), as a string; or "name" and "password" for an account');
      if (!(await sameSecret(body.token.trim(), token))) {
        await recordAudit(c, 'sign-in-failed', { method: 'token' }, { name: 'owner', role: null });
        await countAdminFailure(c);
        fail(401, 'wrong admin token', { 'WWW-Authenticate': 'Bearer' });
      }
    }
    const s = await issueSession(token, Date.now(), account);
    c.set('actor', s.actor);
    await recordAudit(c, 'sign-in', { method: account ? 'password' : 'token' });
    setCookie(c, SESSION_COOKIE, s.value, { path: SESSION_PATH, httpOnly: true, secure: isHttps(c), sameSite: 'Strict', maxAge: SESSION_MS / 1000 });
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true, expires: new Date(s.expires).toISOString(), name: s.actor.name, role: s.actor.role });
  });

  // Whether the dashboard is signed in (it cannot read its HttpOnly cookie), as whom, and until when.
  app.get('/session', requireRole('viewer'), async (c) => {
    const value = getCookie(c, SESSION_COOKIE);
    const s = value ? await readSession(adminToken(c.env)!, value, Date.now()) : null;
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true, session: s && 'expires' in s ? { expires: new Date(s.expires).toISOString(), name: s.actor.name, role: s.actor.role } : null });
  });

  app.delete('/session', requireRole('viewer'), async (c) => {
    const value = getCookie(c, SESSION_COOKIE);
    const s = value ? await readSession(adminToken(c.env)!, value, Date.now()) : null;
    if (s && 'id' in s) {
      await revokeSession(c.env.PROFILES, s, Date.now());
      await recordAudit(c, 'sign-out');
    }
    deleteCookie(c, SESSION_COOKIE, { path: SESSION_PATH, httpOnly: true, secure: isHttps(c), sameSite: 'Strict' });
    return c.json({ success: true });
  });

  app.route('/', accountRoutes());
  return app;
}
