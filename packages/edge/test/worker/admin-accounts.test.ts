// Named admin accounts and roles (issue 21, item 6): the owner sets up viewers, editors and publishers; each
// signs in with a name and password and may do what the role allows, no more; a removed or changed account's
// sessions stop at once; wrong passwords lock a client out like wrong tokens; the audit log says who did what.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { accountSavedSchema, accountsSchema, auditSchema, currentConfigSchema, sessionStateSchema } from '../../src/contract/studio.js';
import { BUDGETS } from '../../src/http/rate-limit.js';
import { createApp } from '../../src/index.js';
import { inOneRealMinute } from '../../../../test/clock.js';
import { ORIGIN, uid } from './helpers.js';

const app = createApp(config, catalog);
let ip = 0;
const OWNER = { authorization: 'Bearer dev-admin' };
const PASSWORD = 'a long enough password';

/** The app with a fresh client address unless the test names one (failures are counted per client). */
async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const ctx = createExecutionContext();
  const headers = { 'cf-connecting-ip': `10.9.${Math.floor(++ip / 250)}.${ip % 250}`, 'content-type': 'application/json', ...init.headers };
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A fresh account name (accounts live in the suite's D1), created by the owner. */
async function account(role: 'viewer' | 'editor' | 'publisher', password = PASSWORD) {
  const name = uid(role).toLowerCase().slice(0, 40);
  const res = await call('/v1/admin/accounts', { headers: OWNER, body: { name, role, password } });
  expect(res.status, await res.clone().text()).toBe(201);
  expect(accountSavedSchema.parse(await res.json()).account).toMatchObject({ name, role });
  return name;
}

const signIn = (body: Record<string, unknown>, headers: Record<string, string> = {}) => call('/v1/admin/session', { body, headers });
const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))!.split(';')[0]!;
async function sessionOf(name: string, password = PASSWORD) {
  const res = await signIn({ name, password });
  expect(res.status, await res.clone().text()).toBe(200);
  return { cookie: cookieOf(res) };
}
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('admin accounts', () => {
  it('are created by the owner only, with a valid name, a role and a 12+ character password, never shown with their hash', async () => {
    const name = await account('editor');
    const list = await call('/v1/admin/accounts', { headers: OWNER });
    const text = await list.clone().text();
    expect(accountsSchema.parse(await list.json()).accounts.find((a) => a.name === name)).toMatchObject({ role: 'editor' });
    expect(text).not.toMatch(/hash|salt|stamp/);
    expect(text).not.toContain(PASSWORD);

    const again = await call('/v1/admin/accounts', { headers: OWNER, body: { name, role: 'viewer', password: PASSWORD } });
    expect(again.status).toBe(409);
    const short = await call('/v1/admin/accounts', { headers: OWNER, body: { name: 'someone-new', role: 'viewer', password: 'too-short' } });
    expect(short.status).toBe(400);
    expect(await errorOf(short)).toBe('password: at least 12 characters, got 9');
    for (const bad of ['A', 'Ana', 'owner', 'a/b'])
      expect((await call('/v1/admin/accounts', { headers: OWNER, body: { name: bad, role: 'viewer', password: PASSWORD } })).status, bad).toBe(400);
    const ownerRole = await call('/v1/admin/accounts', { headers: OWNER, body: { name: 'would-be-owner', role: 'owner', password: PASSWORD } });
    expect(ownerRole.status).toBe(400);
    expect(await errorOf(ownerRole)).toContain('role');

    // A change names what to change; an account that is not there is a 404.
    const empty = await call(`/v1/admin/accounts/${name}`, { method: 'PATCH', headers: OWNER, body: {} });
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toContain('expected "role", "password" or both');
    expect((await call(`/v1/admin/accounts/${name}`, { method: 'PATCH', headers: OWNER, body: { password: 'short' } })).status).toBe(400);
    expect((await call('/v1/admin/accounts/nobody-here', { method: 'PATCH', headers: OWNER, body: { role: 'viewer' } })).status).toBe(404);

    // A publisher manages no accounts.
    const publisher = await sessionOf(await account('publisher'));
    const refused = await call('/v1/admin/accounts', { headers: publisher, body: { name: 'sneaky', role: 'publisher', password: PASSWORD } });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatch(/needs the owner role or higher; ".*" is a publisher/);
  });

  it('sign in with name and password; the session says who and with which role', async () => {
    const name = await account('viewer');
    const s = await sessionOf(name);
    const state = sessionStateSchema.parse(await (await call('/v1/admin/session', { headers: s })).json());
    expect(state.session).toMatchObject({ name, role: 'viewer' });
    const owner = sessionStateSchema.parse(await (await call('/v1/admin/session', { headers: { cookie: cookieOf(await signIn({ token: 'dev-admin' })) } })).json());
    expect(owner.session).toMatchObject({ name: 'owner', role: 'owner' });

    const wrong = await signIn({ name, password: `${PASSWORD}!` });
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toBe('wrong account name or password');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    // An unknown name gets the same answer: sign-in does not tell which names exist.
    const unknown = await signIn({ name: 'nobody-here', password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(await errorOf(unknown)).toBe('wrong account name or password');
    expect((await signIn({ name, password: PASSWORD, token: 'dev-admin' })).status).toBe(400);
  });

  it('an editor saves drafts and validates, but publishing is refused with a 403 naming both roles', async () => {
    const editor = await sessionOf(await account('editor'));
    const draft = `draft-${uid().toLowerCase()}`.slice(0, 60);
    const saved = await call(`/v1/config/drafts/${draft}`, { method: 'PUT', headers: editor, body: { baseVersion: 1, config } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await call('/v1/config/validate', { headers: editor, body: config })).status).toBe(200);

    const live = currentConfigSchema.parse(await (await call('/v1/config', { headers: editor })).json());
    const publish = await call('/v1/config', { method: 'PUT', headers: { ...editor, 'if-match': `"${live.version}"` }, body: config });
    expect(publish.status).toBe(403);
    expect(await errorOf(publish)).toMatch(/^PUT \/v1\/config needs the publisher role or higher; "editor-.*" is an editor$/);
    const restore = await call('/v1/config/versions/1/restore', { headers: editor, body: {} });
    expect(restore.status).toBe(403);
    expect((await call(`/v1/config/drafts/${draft}`, { method: 'DELETE', headers: editor })).status).toBe(200);
  });

  it('a viewer reads reports and the config, and nothing else', async () => {
    const viewer = await sessionOf(await account('viewer'));
    for (const path of ['/v1/reports/overview?site=demo', '/v1/config', '/v1/config/versions'])
      expect((await call(path, { headers: viewer })).status, path).toBe(200);
    const refused: [string, string, unknown?][] = [
      ['POST', '/v1/preview', { segments: ['dry-skin'] }],
      ['POST', '/v1/config/validate', config],
      ['GET', '/v1/config/drafts'],
      ['PUT', '/v1/config', config],
      ['GET', '/v1/admin/audit'],
      ['GET', '/v1/admin/accounts'],
      ['GET', '/v1/profiles/someone?site=demo'],
      ['DELETE', '/v1/profiles/someone?site=demo'],
      ['GET', '/v1/archive/events?since=2026-01-01'],
    ];
    for (const [method, path, body] of refused) {
      const res = await call(path, { method, headers: viewer, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorOf(res), `${method} ${path}`).toMatch(/needs the (editor|publisher|owner) role or higher; "viewer-.*" is a viewer$/);
    }
  });

  it("a removed account's cookie stops working at once, and a changed password ends its sessions", async () => {
    const name = await account('publisher');
    const s = await sessionOf(name);
    expect((await call('/v1/config', { headers: s })).status).toBe(200);

    expect((await call(`/v1/admin/accounts/${name}`, { method: 'PATCH', headers: OWNER, body: { password: `${PASSWORD} 2` } })).status).toBe(200);
    const changed = await call('/v1/config', { headers: s });
    expect(changed.status).toBe(401);
    expect(await errorOf(changed)).toBe(`the account "${name}" changed (role or password) since this sign-in: sign in again`);
    expect((await signIn({ name, password: PASSWORD })).status).toBe(401);
    const again = await sessionOf(name, `${PASSWORD} 2`);
    expect((await call('/v1/config', { headers: again })).status).toBe(200);

    expect((await call(`/v1/admin/accounts/${name}`, { method: 'DELETE', headers: OWNER })).status).toBe(200);
    const removed = await call('/v1/config', { headers: again });
    expect(removed.status).toBe(401);
    expect(await errorOf(removed)).toBe(`the account "${name}" was removed: ask the site owner for an account`);
    // Made again under the same name, it is a new account: the old cookie still does not work.
    await call('/v1/admin/accounts', { headers: OWNER, body: { name, role: 'publisher', password: `${PASSWORD} 2` } });
    expect((await call('/v1/config', { headers: again })).status).toBe(401);
    expect((await call(`/v1/admin/accounts/${name}`, { method: 'DELETE', headers: OWNER })).status).toBe(200);
    expect((await call(`/v1/admin/accounts/${name}`, { method: 'DELETE', headers: OWNER })).status).toBe(404);
  });

  it("a role change holds at once: a publisher made viewer can no longer publish with the old cookie", async () => {
    const name = await account('publisher');
    const s = await sessionOf(name);
    expect((await call(`/v1/admin/accounts/${name}`, { method: 'PATCH', headers: OWNER, body: { role: 'viewer' } })).status).toBe(200);
    expect((await call('/v1/config', { method: 'PUT', headers: s, body: config })).status).toBe(401);
    const viewer = await sessionOf(name);
    expect((await call('/v1/config', { method: 'PUT', headers: viewer, body: config })).status).toBe(403);
  });

  // The local rate-limiting binding counts in windows of real minutes: a run that crosses one runs again (CI,
  // 2026-12-03: 401 where 429 was due).
  it('wrong passwords lock a client out like wrong tokens: past the budget even the right password gets 429', () =>
    inOneRealMinute(async () => {
      const name = await account('editor');
      const client = { 'cf-connecting-ip': `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
      const budget = BUDGETS.adminFailures.limit;
      for (let i = 0; i < budget; i++) {
        // Wrong passwords, unknown names and wrong tokens share one budget per client.
        const res = i % 3 === 0 ? await signIn({ token: `guess-${i}` }, client) : await signIn({ name: i % 3 === 1 ? name : `guess-${i}`, password: `guess-${i}-password` }, client);
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      expect((await signIn({ name, password: 'one more guess!' }, client)).status).toBe(429);
      const limited = await signIn({ name, password: PASSWORD }, client);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.getSetCookie()).toEqual([]);
      // Another client signs in.
      expect((await signIn({ name, password: PASSWORD })).status).toBe(200);
    }));
});

describe('the audit log', () => {
  it('lists sign-ins (failed ones without the password), publishes, account changes and sign-outs, newest first', async () => {
    const name = await account('publisher');
    const wrongPassword = 'not the password at all';
    expect((await signIn({ name, password: wrongPassword })).status).toBe(401);
    const s = await sessionOf(name);
    const live = currentConfigSchema.parse(await (await call('/v1/config', { headers: s })).json());
    const published = await call('/v1/config', { method: 'PUT', headers: { ...s, 'if-match': `"${live.version}"`, 'attune-comment': 'audit%20test' }, body: live.config });
    expect(published.status, await published.clone().text()).toBe(200);
    expect((await call('/v1/admin/session', { method: 'DELETE', headers: s })).status).toBe(200);

    // A publisher reads the log too; an editor does not.
    const reader = await sessionOf(await account('publisher'));
    const res = await call('/v1/admin/audit?limit=200', { headers: reader });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    expect(text).not.toContain(wrongPassword);
    expect(text).not.toContain(PASSWORD);
    const entries = auditSchema.parse(await res.json()).entries;
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const mine = entries.filter((e) => e.actor === name || e.detail.name === name).reverse();
    expect(mine.map((e) => [e.action, e.actor, e.role])).toEqual([
      ['account-created', 'owner', 'owner'],
      ['sign-in-failed', name, null],
      ['sign-in', name, 'publisher'],
      ['publish', name, 'publisher'],
      ['sign-out', name, 'publisher'],
    ]);
    expect(mine[0]!.detail).toEqual({ name, role: 'publisher' });
    expect(mine[1]!.detail).toEqual({ method: 'password', name });

    // Paging: `before` an entry id gives the older ones.
    const page = auditSchema.parse(await (await call(`/v1/admin/audit?limit=2&before=${ids[0]}`, { headers: reader })).json()).entries;
    expect(page.map((e) => e.id)).toEqual(ids.slice(1, 3));
    expect((await call('/v1/admin/audit?limit=zero', { headers: reader })).status).toBe(400);
    const editor = await sessionOf(await account('editor'));
    expect((await call('/v1/admin/audit', { headers: editor })).status).toBe(403);
  });
});
