// The security sweep that fits in workerd: routes are read from the Hono app itself (a new route is swept
// without anyone adding it here), then every admin route is tried without and with a wrong token, every
// /v1 route from a foreign origin, every body-reading route with an oversize body, the rate-limited ones
// past their limit, and every personalized answer for its Cache-Control.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { signedCookie } from '../signed-cookie.js';
import { createApp } from '../../src/index.js';
import { inOneRealMinute } from '../../../../test/clock.js';
import { ORIGIN, post, track, uid } from './helpers.js';

// Every middleware requireAdmin() or requireRole() makes is remembered, so the router's entries tell which routes
// it guards (whatever the role: each one refuses a request without admin credentials).
const adminGuards = vi.hoisted(() => new Set<unknown>());
vi.mock('../../src/admin/auth.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/admin/auth.js')>();
  const remembered = <T,>(guard: T) => (adminGuards.add(guard), guard);
  return {
    ...real,
    requireAdmin: () => remembered(real.requireAdmin()),
    requireRole: (role: Parameters<typeof real.requireRole>[0]) => remembered(real.requireRole(role)),
  };
});

/** Routes meant to be public. Anything else under /v1 must be behind the admin token (sign-in checks the token it is sent). */
const PUBLIC = ['POST /v1/admin/session', 'POST /v1/batch', 'POST /v1/track', 'POST /v1/page', 'POST /v1/identify', 'POST /v1/alias', 'POST /v1/screen', 'POST /v1/group', 'POST /v1/consent', 'POST /v1/decide', 'GET /v1/recommendations', 'GET /v1/catalog', 'GET /v1/quizzes/:id'];
const FOREIGN = ['https://evil.example', 'null', 'http://localhost:8787.evil.example', 'http://evil.localhost:8787', 'https://localhost:8787'];
const ALLOWED = config.sites.demo.allowedOrigins[0]!;

type Route = { method: string; path: string; guarded: boolean };
const app = createApp(config, catalog);
let routes: Route[] = [];

beforeAll(() => {
  const entries = app.routes.filter((r) => r.path.startsWith('/v1/'));
  const guards = entries.filter((r) => adminGuards.has(r.handler));
  const covers = (g: { method: string; path: string }, r: { method: string; path: string }) =>
    (g.method === 'ALL' || g.method === r.method) && (g.path === r.path || (g.path.endsWith('/*') && r.path.startsWith(g.path.slice(0, -1))));
  const seen = new Set<string>();
  // Endpoints: method-specific entries that are not a guard (ALL entries are middleware or the 404 fallback).
  for (const r of entries) {
    if (r.method === 'ALL' || adminGuards.has(r.handler) || seen.has(`${r.method} ${r.path}`)) continue;
    seen.add(`${r.method} ${r.path}`);
    routes.push({ method: r.method, path: r.path, guarded: guards.some((g) => covers(g, r)) });
  }
});

const concrete = (path: string) => path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, 'x');
const name = (r: Route) => `${r.method} ${r.path}`;
let ip = 0;

/** Calls the app with a fresh client address (the rate limit is per client) and optional binding overrides. */
async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit; env?: Record<string, unknown> } = {}) {
  const ctx = createExecutionContext();
  const headers = { 'cf-connecting-ip': `10.9.${Math.floor(++ip / 250)}.${ip % 250}`, ...init.headers };
  const res = await app.fetch(new Request(`${ORIGIN}${concrete(path)}`, { method, headers, body: init.body }), { ...env, ...init.env }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('routes read from the router', () => {
  it('are all either public by name or behind the admin token', () => {
    const admin = routes.filter((r) => r.guarded).map(name);
    const open = routes.filter((r) => !r.guarded).map(name);
    console.log(`security: ${routes.length} /v1 routes, ${admin.length} admin, ${open.length} public`);
    expect(open.sort()).toEqual([...PUBLIC].sort());
    // The sweep sees the admin routes the design names (a broken reading of the router would see none).
    for (const p of ['GET /v1/profiles/:id', 'GET /v1/profiles/:id/export', 'DELETE /v1/profiles/:id', 'GET /v1/config', 'PUT /v1/config', 'PUT /v1/catalog', 'POST /v1/preview', 'GET /v1/reports/overview'])
      expect(admin).toContain(p);
  });
});

describe('admin routes', () => {
  it('answer 401 without a token, with a wrong one and with a write key, and show no data', async () => {
    const admin = routes.filter((r) => r.guarded);
    const wrong = { none: {}, wrong: { authorization: 'Bearer not-the-token' }, empty: { authorization: 'Bearer ' }, basic: { authorization: `Basic ${btoa('demo:')}` } };
    for (const r of admin) {
      for (const [how, headers] of Object.entries(wrong)) {
        const res = await call(r.method, r.path, { headers });
        expect(res.status, `${name(r)} ${how}`).toBe(401);
        expect(res.headers.get('www-authenticate'), `${name(r)} ${how}`).toBe('Bearer');
        const body = (await res.json()) as Record<string, unknown>;
        expect(Object.keys(body).sort(), `${name(r)} ${how}`).toEqual(['error', 'success']);
      }
      // The guard is what refused: with the token the route answers (a 4xx for the fake id or body is fine).
      const ok = await call(r.method, r.path, { headers: { authorization: 'Bearer dev-admin' } });
      expect([401, 403], name(r)).not.toContain(ok.status);
    }
  });

  it('are refused outside development when no token is set, and take only the configured token there', async () => {
    const admin = routes.filter((r) => r.guarded);
    const production = { ATTUNE_ENV: 'production', ATTUNE_ADMIN_TOKEN: undefined };
    const secret = `s3cret-${uid()}`;
    for (const r of admin) {
      const res = await call(r.method, r.path, { headers: { authorization: 'Bearer dev-admin' }, env: production });
      expect(res.status, name(r)).toBe(403);
      expect(await res.text(), name(r)).toMatch(/admin API is disabled/);
      const configured = { ATTUNE_ENV: 'production', ATTUNE_ADMIN_TOKEN: secret };
      expect((await call(r.method, r.path, { headers: { authorization: 'Bearer dev-admin' }, env: configured })).status, name(r)).toBe(401);
      expect([401, 403], name(r)).not.toContain((await call(r.method, r.path, { headers: { authorization: `Bearer ${secret}` }, env: configured })).status);
    }
  });
});

describe('foreign origins', () => {
  it('get no Access-Control-Allow-Origin on a preflight or a request, on any /v1 route', async () => {
    let checked = 0;
    for (const r of routes) {
      // Positive control: an allowed origin is granted, so a missing header below means refused, not broken.
      const granted = await call('OPTIONS', r.path, { headers: { origin: ALLOWED, 'access-control-request-method': r.method } });
      expect(granted.headers.get('access-control-allow-origin'), name(r)).toBe(ALLOWED);
      for (const origin of FOREIGN) {
        const pre = await call('OPTIONS', r.path, { headers: { origin, 'access-control-request-method': r.method, 'access-control-request-headers': 'content-type, authorization' } });
        expect(pre.status, `${name(r)} preflight ${origin}`).toBe(403);
        expect(pre.headers.get('access-control-allow-origin'), `${name(r)} preflight ${origin}`).toBeNull();
        expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
        const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : JSON.stringify({ writeKey: 'demo', batch: [track(uid(), 'x')] });
        const res = await call(r.method, r.path, { headers: { origin, 'content-type': 'text/plain', ...(r.guarded ? { authorization: 'Bearer dev-admin' } : {}) }, body });
        expect(res.headers.get('access-control-allow-origin'), `${name(r)} ${origin}`).toBeNull();
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        checked++;
      }
    }
    console.log(`security: ${checked} foreign-origin preflights and requests over ${routes.length} routes`);
  });

  it('cannot send events or read decisions for a site from an origin it does not list', async () => {
    const anon = uid();
    const res = await call('POST', '/v1/batch', { headers: { origin: 'https://evil.example' }, body: JSON.stringify({ writeKey: 'demo', batch: [track(anon, 'x')] }) });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/origin https:\/\/evil\.example is not allowed/);
    const d = await call('POST', '/v1/decide', { headers: { origin: 'https://evil.example' }, body: JSON.stringify({ writeKey: 'demo', anonymousId: anon }) });
    expect(d.status).toBe(403);
  });
});

describe('oversize bodies', () => {
  it('are answered 413 naming the limit on every route that takes a body', async () => {
    const big = new Uint8Array(26 * 1024 * 1024).fill(0x20); // past every body limit (the catalog's 25 MB is the largest)
    const withBody = routes.filter((r) => r.method === 'POST' || r.method === 'PUT');
    expect(withBody.length).toBeGreaterThan(8);
    for (const r of withBody) {
      const res = await call(r.method, r.path, { headers: { 'content-type': 'application/json', authorization: r.guarded ? 'Bearer dev-admin' : `Basic ${btoa('demo:')}` }, body: big });
      expect(res.status, name(r)).toBe(413);
      expect(((await res.json()) as { error: string }).error, name(r)).toMatch(/over the limit of \d+ bytes/);
    }
    // Compressed small, large once inflated: counted after decompression.
    const bomb = await new Response(new Blob([new Uint8Array(4 * 1024 * 1024).fill(0x20)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    const res = await call('POST', '/v1/batch', { headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: bomb });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/\(decompressed\) is over the limit of \d+ bytes/);
  });
});

describe('rate-limited clients', () => {
  // A client address of its own for each route and run: a random one could repeat across the three routes and start
  // a route's count at two (failed a fresh-clone run with 429 on /v1/track's first request).
  let clients = 0;
  it('get 429 with Retry-After on every route that writes for a visitor', () =>
    inOneRealMinute(async () => {
      const strict = createApp({ sites: { demo: { writeKey: 'demo', allowedOrigins: [ORIGIN], retentionDays: 30, rateLimitPerMinute: 2 } } });
      const bodies: Record<string, () => unknown> = {
        '/v1/batch': () => ({ writeKey: 'demo', batch: [track(uid(), 'x')] }),
        '/v1/track': () => ({ writeKey: 'demo', ...track(uid(), 'x') }),
        '/v1/consent': () => ({ writeKey: 'demo', anonymousId: uid(), consent: { analytics: true, personalization: true } }),
      };
      for (const [path, body] of Object.entries(bodies)) {
        const client = `10.8.${Math.floor(Math.random() * 250)}.${clients++ % 250}`;
        const send = async () => {
          const ctx = createExecutionContext();
          const res = await strict.fetch(new Request(`${ORIGIN}${path}`, { method: 'POST', headers: { 'cf-connecting-ip': client }, body: JSON.stringify(body()) }), env, ctx);
          await waitOnExecutionContext(ctx);
          return res;
        };
        for (let i = 0; i < 2; i++) expect((await send()).status, path).toBe(200);
        const res = await send();
        expect(res.status, path).toBe(429);
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(retryAfter, path).toBeGreaterThanOrEqual(1);
        expect(retryAfter, path).toBeLessThanOrEqual(60);
        expect(((await res.json()) as { error: string }).error, path).toMatch(/rate limit of 2 requests a minute/);
      }
    }));
});

describe('personalized answers', () => {
  it('are never cacheable: pages with the consent cookie, decide and every recommendation strategy', async () => {
    const anon = uid('cache');
    expect((await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed', { properties: { product_id: catalog.products[0]!.id } })] })).status).toBe(200);
    const cookie = await signedCookie(anon);
    const checked: string[] = [];
    const expectPrivate = (res: Response, what: string) => {
      expect(res.status, what).toBe(200);
      expect(res.headers.get('cache-control'), what).toBe('private, no-store');
      checked.push(what);
    };
    const pages = ['/', '/index.html', '/quiz.html', '/cart.html', '/account.html', '/search.html', '/checkout.html', '/order/confirmed.html', `/products/${catalog.products[0]!.id}.html`, '/c/serums.html', '/?utm_source=newsletter'];
    for (const p of pages) expectPrivate(await call('GET', p, { headers: { cookie } }), `GET ${p}`);
    expectPrivate(await call('POST', '/v1/decide', { body: JSON.stringify({ writeKey: 'demo', anonymousId: anon, context: { page: { path: '/' } } }) }), 'POST /v1/decide');
    // Decisions and lists are per visitor even without consent (the request's own facts): private too.
    expectPrivate(await call('POST', '/v1/decide', { body: JSON.stringify({ writeKey: 'demo', anonymousId: uid() }) }), 'POST /v1/decide (no consent)');
    const strategies = Object.keys((config as { recommendations?: { strategies?: Record<string, unknown> } }).recommendations?.strategies ?? {});
    expect(strategies.length).toBeGreaterThan(0);
    for (const s of strategies)
      expectPrivate(await call('GET', `/v1/recommendations?writeKey=demo&strategy=${encodeURIComponent(s)}&anonymousId=${anon}&item=${catalog.products[0]!.id}`), `GET /v1/recommendations ${s}`);
    console.log(`security: ${checked.length} personalized answers checked for Cache-Control: private, no-store`);
  });
});
