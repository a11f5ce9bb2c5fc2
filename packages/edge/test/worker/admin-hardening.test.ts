// The admin side as a browser, an API client and an attacker meet it: the dashboard's headers, sign-in
// sessions in an HttpOnly cookie (never the token in page storage), CSRF on cookie-authenticated requests,
// and preview links signed with a key of their own and revocable one by one.
import { createHmac } from 'node:crypto';
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { issueSession, readSession, SESSION_MS } from '../../src/admin/session.js';
import { BUDGETS } from '../../src/http/rate-limit.js';
import { createApp } from '../../src/index.js';
import { atTime, inOneRealMinute } from '../../../../test/clock.js';
import { ORIGIN, uid } from './helpers.js';

const app = createApp(config, catalog);
let ip = 0;

/** The app with a fresh client address (limits are per client) and optional binding overrides. */
async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; env?: Record<string, unknown>; origin?: string } = {}) {
  const ctx = createExecutionContext();
  const headers = { 'cf-connecting-ip': `10.7.${Math.floor(++ip / 250)}.${ip % 250}`, ...init.headers };
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await app.fetch(new Request(`${init.origin ?? ORIGIN}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body }), { ...env, ...init.env }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const signIn = (token = 'dev-admin', init: Parameters<typeof call>[1] = {}) => call('/v1/admin/session', { ...init, body: { token }, headers: { 'content-type': 'application/json', ...init.headers } });
/** The cookie a sign-in set, as the browser sends it back. */
const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))!.split(';')[0]!;

describe('the dashboard at /admin', () => {
  it('is served with a strict CSP, no framing, no referrer, nosniff and no caching, and is not personalized', async () => {
    const res = await SELF.fetch(`${ORIGIN}/admin/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script src="/admin/app.js" defer></script>');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The page rewriter's inline <style> would be refused by that CSP: the shell arrives as built.
    expect(html).not.toContain('data-attune-css');
    expect(html).not.toMatch(/<style|style=/);

    const js = await SELF.fetch(`${ORIGIN}/admin/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(js.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await js.arrayBuffer();
  });
});

describe('admin sessions', () => {
  it('sign-in sets an HttpOnly, SameSite=Strict cookie for the API that stands in for the token, for 12 hours', async () => {
    const res = await signIn();
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))!;
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\/v1(;|$)/);
    expect(set).toMatch(/; Max-Age=43200/);
    expect(set).not.toMatch(/Secure/); // plain http (local): a Secure cookie would never come back
    expect(set).not.toContain('dev-admin');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { expires } = (await res.json()) as { expires: string };
    expect(Math.abs(Date.parse(expires) - (Date.now() + SESSION_MS))).toBeLessThan(60_000);

    const cookie = cookieOf(res);
    const overview = await call('/v1/reports/overview?period=7d', { headers: { cookie } });
    expect(overview.status).toBe(200);
    const state = await call('/v1/admin/session', { headers: { cookie } });
    expect(((await state.json()) as { session: { expires: string } }).session.expires).toBe(expires);
    // Without the cookie (or a token) nothing is readable.
    expect((await call('/v1/reports/overview?period=7d')).status).toBe(401);
    expect((await call('/v1/admin/session')).status).toBe(401);

    const https = await signIn('dev-admin', { origin: 'https://localhost:8787' });
    expect(https.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))).toMatch(/; Secure/);
  });

  // The local rate-limiting binding counts in windows of real minutes: a run that crosses one runs again.
  it('a wrong token gets 401 and no cookie, and counts with wrong Bearer tokens: past the budget even the right one gets 429', () =>
    inOneRealMinute(async () => {
    const client = { 'cf-connecting-ip': `10.6.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
    const budget = BUDGETS.adminFailures.limit;
    for (let i = 0; i < budget; i++) {
      // Half of the guesses as sign-ins, half as Bearer headers: one budget per client.
      const res = i % 2 ? await signIn(`guess-${i}`, { headers: client }) : await call('/v1/reports/overview', { headers: { ...client, authorization: `Bearer guess-${i}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('wrong admin token');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await signIn('one-more-guess', { headers: client })).status).toBe(429);
    const limited = await signIn('dev-admin', { headers: client });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.getSetCookie()).toEqual([]);
    // Another client is not held back by this one.
    expect((await signIn()).status).toBe(200);
    // And a body without a token says what it wants.
    const empty = await call('/v1/admin/session', { body: {}, headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('token: the admin token');
  }));

  it('ends after 12 hours, when the admin token changes, or when tampered with', async () => {
    const start = '2031-03-01T08:00:00Z';
    const cookie = await atTime(start, async () => cookieOf(await signIn()));
    expect(await atTime('2031-03-01T19:59:00Z', async () => (await call('/v1/reports/overview?period=7d', { headers: { cookie } })).status)).toBe(200);
    const late = await atTime('2031-03-01T20:00:01Z', () => call('/v1/reports/overview?period=7d', { headers: { cookie } }));
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('the admin session has expired: sign in again');

    // Rotating the token ends every session signed under the old one.
    const fresh = cookieOf(await signIn('dev-admin'));
    const rotated = await call('/v1/reports/overview?period=7d', { headers: { cookie: fresh }, env: { ATTUNE_ADMIN_TOKEN: `rotated-${uid()}` } });
    expect(rotated.status).toBe(401);
    expect(await rotated.text()).toContain('sign in again');

    // A later expiry written into the value breaks its signature.
    const [id, exp, sig] = fresh.slice('attune_admin='.length).split('.');
    const stretched = `attune_admin=${id}.${Number(exp) + 86_400_000}.${sig}`;
    expect((await call('/v1/reports/overview?period=7d', { headers: { cookie: stretched } })).status).toBe(401);
  });

  it('carries its expiry under the signature (pure check at pinned times)', async () => {
    const t = Date.parse('2030-06-01T00:00:00Z');
    const s = await issueSession('a-token', t);
    expect(await readSession('a-token', s.value, t + SESSION_MS - 1)).toEqual({ id: s.id, expires: t + SESSION_MS, actor: { name: 'owner', role: 'owner' } });
    expect(await readSession('a-token', s.value, t + SESSION_MS)).toEqual({ error: 'the admin session has expired: sign in again' });
    expect(await readSession('another-token', s.value, t)).toHaveProperty('error');
    expect(s.value).not.toContain('a-token');
  });

  it('is refused with 403 when a request carrying it comes from another origin (CSRF), on writes and reads', async () => {
    const cookie = cookieOf(await signIn());
    // A write: erasing a profile (404 here, for an id nobody has, once the session is accepted).
    const put = (headers: Record<string, string>) => call(`/v1/profiles/nobody-${uid()}`, { method: 'DELETE', headers: { cookie, ...headers } });
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8787.evil.example', 'https://localhost:8787']) {
      const res = await put({ origin });
      expect(res.status, origin).toBe(403);
      expect(await res.text(), origin).toContain('the admin session is not accepted from origin');
    }
    for (const site of ['cross-site', 'same-site']) expect((await put({ 'sec-fetch-site': site })).status, site).toBe(403);
    // Reads too: the CORS middleware lends credentials to the shop's origins, which may be same-site.
    expect((await call('/v1/reports/overview?period=7d', { headers: { cookie, origin: 'http://localhost:8788' } })).status).toBe(403);
    const signOut = await call('/v1/admin/session', { method: 'DELETE', headers: { cookie, origin: 'https://evil.example' } });
    expect(signOut.status).toBe(403);
    // The dashboard itself, same origin: accepted (Origin is the Worker's own, or absent on a same-origin GET).
    expect((await put({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).status).toBe(404);
    expect((await call('/v1/reports/overview?period=7d', { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    // Sign-in itself is not accepted from another origin either.
    expect((await signIn('dev-admin', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // API clients and the CLI keep using the Bearer header, which a browser never adds on its own.
    expect((await call('/v1/reports/overview?period=7d', { headers: { authorization: 'Bearer dev-admin', origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('sign-out clears the cookie and the value is refused afterwards', async () => {
    const cookie = cookieOf(await signIn());
    const out = await call('/v1/admin/session', { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))).toMatch(/^attune_admin=; Max-Age=0; .*Path=\/v1/);
    const after = await call('/v1/reports/overview?period=7d', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(await after.text()).toContain('signed out');
  });
});

describe('preview links', () => {
  const decide = (preview: string, e?: Record<string, unknown>) =>
    call('/v1/decide', { body: { writeKey: 'demo', anonymousId: uid('anon'), preview }, headers: { 'content-type': 'text/plain' }, env: e });
  const newLink = async (e?: Record<string, unknown>) => {
    const res = await call('/v1/preview', { body: { segments: ['sensitive-skin'], minutes: 30 }, headers: { authorization: 'Bearer dev-admin', 'content-type': 'application/json' }, env: e });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; token: string; expires: string };
  };

  it('are signed with ATTUNE_PREVIEW_KEY, not with the admin token', async () => {
    const k1 = { ATTUNE_PREVIEW_KEY: `k1-${uid()}` };
    const { token } = await newLink(k1);
    expect((await decide(token, k1)).status).toBe(200);
    // Same admin token, another preview key: refused. The admin token alone does not make a link valid.
    const other = await decide(token, { ATTUNE_PREVIEW_KEY: `k2-${uid()}` });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('not signed by this deployment');
    expect((await decide(token)).status).toBe(403);
  });

  it('without ATTUNE_PREVIEW_KEY, use a key derived from the admin token, never the token itself', async () => {
    const { token } = await newLink();
    expect((await decide(token)).status).toBe(200);
    const [body, sig] = token.split('.');
    const b64 = (b: Buffer) => b.toString('base64url');
    for (const key of ['dev-admin', 'attune-preview:dev-admin']) expect(sig).not.toBe(b64(createHmac('sha256', key).update(body!).digest()));
    // …so a new admin token ends the links made under the old one.
    expect((await decide(token, { ATTUNE_ADMIN_TOKEN: `rotated-${uid()}` })).status).toBe(403);
  });

  it('are listed while live and revoked one by one: a revoked link previews nothing, in decide or on a page', async () => {
    const keep = await newLink();
    const link = await newLink();
    const listed = async () =>
      ((await (await call('/v1/previews', { headers: { authorization: 'Bearer dev-admin' } })).json()) as { previews: { id: string; segments: string[]; expires: string }[] }).previews;
    expect((await listed()).find((p) => p.id === link.id)).toEqual(expect.objectContaining({ segments: ['sensitive-skin'], expires: link.expires }));
    const hero = async (token: string) => {
      const html = await (await SELF.fetch(`${ORIGIN}/?attune_preview=${token}`, { headers: { 'user-agent': 'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36' } })).text();
      return /<attune-slot name="hero"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html)?.[1] ?? '';
    };
    expect(await hero(link.token)).toContain('Gentle on sensitive skin');

    const del = await call(`/v1/preview/${link.id}`, { method: 'DELETE', headers: { authorization: 'Bearer dev-admin' } });
    expect(del.status).toBe(200);
    // The deny-list entry lives as long as the link would have, no longer (KV counts on the real clock).
    const entry = (await env.PROFILES.list({ prefix: `admin:preview-revoked:${link.id}` })).keys[0]!;
    expect(Math.abs(entry.expiration! * 1000 - vi.getRealSystemTime() - (Date.parse(link.expires) - Date.now()))).toBeLessThan(2000);

    const refused = await decide(link.token);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('the preview link was revoked');
    const live = await hero(link.token);
    expect(live).toContain('Skin care that listens');
    expect(live).not.toContain('"preview":true');
    expect((await listed()).map((p) => p.id)).not.toContain(link.id);
    // Others stay valid; a second revocation and an unknown id are 404; a malformed id is 400.
    expect((await decide(keep.token)).status).toBe(200);
    expect((await call(`/v1/preview/${link.id}`, { method: 'DELETE', headers: { authorization: 'Bearer dev-admin' } })).status).toBe(404);
    expect((await call('/v1/preview/not-an-id', { method: 'DELETE', headers: { authorization: 'Bearer dev-admin' } })).status).toBe(400);
    expect((await call(`/v1/preview/${link.id}`, { method: 'DELETE' })).status).toBe(401);
  });
});
