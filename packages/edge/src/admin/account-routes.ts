// The owner's account management, mounted under /v1/admin (session-routes.ts): GET/POST /accounts,
// PATCH/DELETE /accounts/:name. Every change is in the audit log, without the password. GET /audit reads the log
// (publisher and owner: who published what is theirs to see; a viewer or editor does not read others' sign-ins).
import { Hono } from 'hono';
import type * as z from '../contract/zod.js';
import type { AppEnv } from '../app-env.js';
import { formatPath } from '../config/problems.js';
import { accountCreateSchema, accountNameSchema, accountPatchSchema, type AuditEntryBody } from '../contract/studio.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { createAccount, getAccount, listAccounts, publicAccount, removeAccount, updateAccount } from './accounts.js';
import { listAudit, recordAudit } from './audit.js';
import { requireRole } from './auth.js';
import { hashPassword, passwordProblem } from './passwords.js';

const BODY_BYTES = 4096;
const MAX_AUDIT_PAGE = 500;

const invalid = (what: string, error: z.core.$ZodError): never =>
  fail(400, `${what}: ${error.issues.map((i) => `${formatPath(i.path) || '(body)'}: ${i.message}`).join('; ')}`);

function nameParam(raw: string): string {
  const name = accountNameSchema.safeParse(raw);
  if (!name.success) fail(400, `name: ${JSON.stringify(raw.slice(0, 60))} is not an account name (${name.error.issues[0]!.message})`);
  return raw;
}

/** A positive integer query parameter, or the default. */
function intParam(name: string, raw: string | undefined, dflt: number, max: number): number {
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(400, `${name}: expected a positive integer, got ${JSON.stringify(raw)}`);
  return Math.min(n, max);
}

export function accountRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/audit', requireRole('publisher'), async (c) => {
    const limit = intParam('limit', c.req.query('limit'), 100, MAX_AUDIT_PAGE);
    const before = c.req.query('before') === undefined ? undefined : intParam('before', c.req.query('before'), 1, Number.MAX_SAFE_INTEGER);
    c.header('Cache-Control', 'no-store');
    return c.json({ entries: (await listAudit(c.env.EVENTS, limit, before)) satisfies AuditEntryBody[] });
  });

  app.use('/accounts', requireRole('owner'));
  app.use('/accounts/*', requireRole('owner'));

  app.get('/accounts', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ accounts: (await listAccounts(c.env.EVENTS)).map(publicAccount) });
  });

  app.post('/accounts', async (c) => {
    const body = accountCreateSchema.safeParse(await readJsonObject(c, BODY_BYTES, 'for an account'));
    if (!body.success) invalid('invalid account', body.error);
    const { name, role, password } = body.data!;
    const problem = passwordProblem(password);
    if (problem) fail(400, problem);
    const account = await createAccount(c.env.EVENTS, name, role, await hashPassword(password), Date.now());
    if (!account) fail(409, `name: there is already an account "${name}" (PATCH /v1/admin/accounts/${name} changes it)`);
    await recordAudit(c, 'account-created', { name, role });
    return c.json({ success: true, account: publicAccount(account) }, 201);
  });

  app.patch('/accounts/:name', async (c) => {
    const name = nameParam(c.req.param('name'));
    const body = accountPatchSchema.safeParse(await readJsonObject(c, BODY_BYTES, 'for an account change'));
    if (!body.success) invalid('invalid account change', body.error);
    const { role, password } = body.data!;
    if (password !== undefined) {
      const problem = passwordProblem(password);
      if (problem) fail(400, problem);
    }
    const before = await getAccount(c.env.EVENTS, name);
    const account =
      before && (await updateAccount(c.env.EVENTS, name, { role, password: password === undefined ? undefined : await hashPassword(password) }, Date.now()));
    if (!account) fail(404, `no account "${name}" (GET /v1/admin/accounts lists them)`);
    // "changed" names what changed, never the password itself (audit.ts drops password keys anyway).
    const changed = [...(role !== undefined ? ['role'] : []), ...(password !== undefined ? ['password'] : [])];
    await recordAudit(c, 'account-changed', { name, changed, ...(role !== undefined && { role, previousRole: before!.role }) });
    return c.json({ success: true, account: publicAccount(account) });
  });

  app.delete('/accounts/:name', async (c) => {
    const name = nameParam(c.req.param('name'));
    if (!(await removeAccount(c.env.EVENTS, name))) fail(404, `no account "${name}" (GET /v1/admin/accounts lists them)`);
    await recordAudit(c, 'account-removed', { name });
    return c.json({ success: true });
  });

  return app;
}
