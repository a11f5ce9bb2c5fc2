// The security sweep over real HTTP, against `wrangler dev` started as a deployment would run it
// (ATTUNE_ENV=production, no ATTUNE_ADMIN_TOKEN): every admin route read from the router is refused even
// with the development token, every page of the store and every personalized API answer is private,
// foreign origins get no CORS grant, oversize bodies get 413 and a client past the rate limit 429.
// (test/worker/security.test.ts runs the finer checks in workerd; this one proves them on the real stack.)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { DEV_COOKIE_SECRET } from '../../src/http/capability.js';
import { signedCookie } from '../signed-cookie.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

// The app is imported only to read its routes: the Durable Object base class is all it needs of workerd.
vi.mock('cloudflare:workers', () => ({ DurableObject: class {} }));
const adminGuards = vi.hoisted(() => new Set<unknown>());
vi.mock('../../src/admin/auth.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/admin/auth.js')>();
  const guard = <G>(g: G) => (adminGuards.add(g), g);
  // requireAdmin is the owner's guard, requireRole a named account's (viewer and up): both guard admin routes.
  return { ...real, requireAdmin: () => guard(real.requireAdmin()), requireRole: (role: Parameters<typeof real.requireRole>[0]) => guard(real.requireRole(role)) };
});

let dev: { url: string; stop: () => Promise<void> } | undefined;
let adminRoutes: { method: string; path: string }[] = [];

beforeAll(async () => {
  const { createApp } = await import('../../src/index.js');
  const entries = createApp(config, catalog).routes.filter((r) => r.path.startsWith('/v1/'));
  const guards = entries.filter((r) => adminGuards.has(r.handler));
  const covered = (r: { method: string; path: string }) =>
    guards.some((g) => (g.method === 'ALL' || g.method === r.method) && (g.path === r.path || (g.path.endsWith('/*') && r.path.startsWith(g.path.slice(0, -1)))));
  const seen = new Set<string>();
  for (const r of entries)
    if (r.method !== 'ALL' && !adminGuards.has(r.handler) && covered(r) && !seen.has(`${r.method} ${r.path}`)) {
      seen.add(`${r.method} ${r.path}`);
      adminRoutes.push({ method: r.method, path: r.path });
    }
  // A deployment has the cookie secret (README's deploy steps); without it no consent cookie is honoured at all.
  dev = await startDev({ vars: { ATTUNE_ENV: 'production', ATTUNE_COOKIE_SECRET: DEV_COOKIE_SECRET } });
}, 120_000);
afterAll(() => dev?.stop());

const at = (path: string) => `${dev!.url}${path.replace(/:[a-zA-Z]+/g, 'x')}`;

describe('a deployment without ATTUNE_ADMIN_TOKEN', () => {
  it('refuses every admin route, with the development token, a wrong one or none, and shows no data', async () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(10);
    let tried = 0;
    for (const r of adminRoutes) {
      for (const authorization of ['Bearer dev-admin', 'Bearer wrong', undefined]) {
        const res = await fetch(at(r.path), { method: r.method, headers: authorization ? { authorization } : {} });
        const body = (await res.json()) as Record<string, unknown>;
        expect(res.status, `${r.method} ${r.path} ${authorization}`).toBe(403);
        expect(Object.keys(body).sort()).toEqual(['error', 'success']);
        tried++;
      }
    }
    console.log(`security-sweep: ${adminRoutes.length} admin routes × 3 tokens refused (${tried} requests) on wrangler dev in production mode`);
  });
});

describe('personalized answers', () => {
  it('are private, no-store on every page of the store and every decide and recommendation answer', async () => {
    const anon = `sweep-${Date.now().toString(36)}`;
    const cookie = await signedCookie(anon);
    const post = await fetch(`${dev!.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch: [{ type: 'track', event: 'Product Viewed', messageId: `${anon}-1`, anonymousId: anon, properties: { product_id: catalog.products[0]!.id } }] }) });
    expect(post.status).toBe(200);
    const dir = join(root, 'dist/site');
    const walk = (d: string): string[] => readdirSync(join(dir, d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.html') ? [`/${join(d, e.name)}`] : []));
    const pages = walk('').filter((p) => !p.startsWith('/admin/'));
    const wrong: string[] = [];
    for (const p of ['/', ...pages]) {
      const res = await fetch(`${dev!.url}${p}`, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('cache-control') !== 'private, no-store') wrong.push(`${p}: ${res.status} ${res.headers.get('cache-control')}`);
    }
    const strategies = Object.keys(config.recommendations.strategies);
    for (const s of strategies) {
      const res = await fetch(`${dev!.url}/v1/recommendations?writeKey=demo&strategy=${s}&anonymousId=${anon}&item=${catalog.products[0]!.id}`);
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('cache-control') !== 'private, no-store') wrong.push(`recommendations ${s}: ${res.status} ${res.headers.get('cache-control')}`);
    }
    const decide = await fetch(`${dev!.url}/v1/decide`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: anon }) });
    await decide.arrayBuffer();
    if (decide.headers.get('cache-control') !== 'private, no-store') wrong.push(`decide: ${decide.status} ${decide.headers.get('cache-control')}`);
    console.log(`security-sweep: ${pages.length + 1} pages, ${strategies.length} strategies and decide checked for private, no-store; wrong ${wrong.length}`);
    expect(pages.length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });
});

describe('over real HTTP', () => {
  it('grants no CORS to a foreign origin', async () => {
    for (const path of ['/v1/batch', '/v1/decide', '/v1/consent', '/v1/recommendations', '/v1/profiles/x', '/v1/reports/overview']) {
      const pre = await fetch(`${dev!.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      await pre.arrayBuffer();
      expect(pre.headers.get('access-control-allow-origin'), path).toBeNull();
      const res = await fetch(`${dev!.url}${path}`, { method: path.startsWith('/v1/profiles') || path.startsWith('/v1/reports') || path.endsWith('recommendations') ? 'GET' : 'POST', headers: { origin: 'https://evil.example' }, body: path.startsWith('/v1/profiles') || path.startsWith('/v1/reports') || path.endsWith('recommendations') ? undefined : '{"writeKey":"demo"}' });
      await res.arrayBuffer();
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('answers a client past the rate limit 429 with Retry-After, and an oversize batch 413 naming the limit', async () => {
    // The demo site allows 600 requests a minute per client. Empty batches are refused (400) after the rate
    // limit is counted, so the limit is reached without writing anything.
    const limit = config.sites.demo.rateLimitPerMinute;
    let first429 = 0;
    let retryAfter = 0;
    for (let i = 1; i <= limit + 5 && !first429; i++) {
      const res = await fetch(`${dev!.url}/v1/batch`, { method: 'POST', body: '{"writeKey":"demo","batch":[]}' });
      const text = await res.text();
      if (res.status === 429) [first429, retryAfter] = [i, Number(res.headers.get('retry-after'))];
      else expect(`${res.status} ${text.slice(0, 200)}`, `request ${i}`).toMatch(/^400 /);
    }
    // Last: after a body refused unread, `wrangler dev`'s local proxy answers the next request 503 ("Your worker
    // restarted mid-request", cloudflare/workers-sdk#15709); clients retry that, but the loop above must not see it.
    const big = await fetch(`${dev!.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch: [], pad: 'x'.repeat(600 * 1024) }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/over the limit of 512000 bytes/);
    console.log(`security-sweep: 413 for a 600 KB batch; 429 at request ${first429} (limit ${limit}/min), Retry-After ${retryAfter} s`);
    expect(first429).toBeGreaterThan(1);
    expect(first429).toBeLessThanOrEqual(limit); // the batch posted by the test above counts in the same window
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});
