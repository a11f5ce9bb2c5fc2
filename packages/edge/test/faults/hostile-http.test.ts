// Hostile HTTP against one real `wrangler dev` (the local stack `npm start` runs), generated: every route read
// from the router plus the store's pages, an asset and unknown paths; every method (and two it does not know);
// bodies from none to 1 MB of every kind (JSON, not JSON, binary, gzip declared but not gzip, real gzip,
// truncated gzip, over the limit, a gzip bomb); right, wrong and missing write keys and admin tokens; right and
// wrong content types; 8 at a time. No answer may be a 5xx, drop its connection or take over 5 s, and afterwards
// the stack still serves the store and takes a batch. The requests come from a fixed fast-check seed (printed;
// HOSTILE_SEED replays another), so a failure names the request that caused it and replays the same way.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { AT_ONCE, event, METHODS, request, run, SEED, SLOW_MS, verdict, type Req } from './hostile-requests.js';

// The app is imported only to read its routes: the Durable Object base class is all it needs of workerd.
vi.mock('cloudflare:workers', () => ({ DurableObject: class {} }));

const COUNT = 3000;
const PRODUCT = catalog.products[0]!.id;

let dev: { url: string; stop: () => Promise<void>; output: () => string } | undefined;
let targets: { method: string; path: string }[] = [];

beforeAll(async () => {
  const { createApp } = await import('../../src/index.js');
  const seen = new Set<string>();
  const fill = (p: string) => p.replace(/:[a-zA-Z]+/g, 'x').replace(/\*/g, 'anything');
  for (const r of createApp(config, catalog).routes) {
    const t = { method: r.method === 'ALL' ? 'GET' : r.method, path: fill(r.path) };
    if (!seen.has(`${t.method} ${t.path}`)) seen.add(`${t.method} ${t.path}`), targets.push(t);
  }
  for (const path of ['/', '/admin/', `/products/${PRODUCT}`, `/products/${PRODUCT}.html`, '/attune.js', '/styles.css', '/no-such-page', '/v1/no-such-route', '/v1', '/%2e%2e/etc/passwd', '/admin/../v1/batch'])
    targets.push({ method: 'GET', path });
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

describe('hostile HTTP against wrangler dev', () => {
  it(`answers ${COUNT} generated requests, ${AT_ONCE} at a time, without a 5xx, a dropped connection or an answer over ${SLOW_MS / 1000} s`, async () => {
    expect(targets.length).toBeGreaterThan(30);
    const reqs = fc.sample(request(targets), { seed: SEED, numRuns: COUNT });
    console.log(`hostile-http: seed ${SEED} (HOSTILE_SEED=${SEED} replays it), ${COUNT} requests over ${targets.length} targets`);
    const v = verdict('hostile-http', await run(dev!.url, reqs));
    console.log(v.line);
    // Every method, body kind and wrapping was tried (the generator did its job).
    const tried = (f: (r: Req) => string) => new Set(reqs.map(f));
    expect([...tried((r) => r.method ?? r.target.method)]).toEqual(expect.arrayContaining([...METHODS]));
    expect(tried((r) => r.body.kind).size).toBe(7);
    expect(tried((r) => r.wrap).size).toBe(5);
    expect(tried((r) => `${r.target.method} ${r.target.path}`).size).toBe(targets.length);
    expect(v.fiveXX, 'answers 5xx').toEqual([]);
    expect(v.dropped, 'connections dropped or answers cut off').toEqual([]);
    expect(v.slow, `answers slower than ${SLOW_MS} ms`).toEqual([]);
  }, 420_000);

  it('still serves the store and takes a batch afterwards', async () => {
    const home = await fetch(`${dev!.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Lumen Skin');
    const anon = `hostile-after-${SEED}`;
    const ip = '10.66.1.1'; // a client the run did not use, so no rate limit of the run applies
    const res = await fetch(`${dev!.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, 'cf-connecting-ip': ip }, body: JSON.stringify({ writeKey: 'demo', batch: [{ ...event(-1, 0), anonymousId: anon }] }) });
    expect(`${res.status} ${await res.text()}`).toBe('200 {"success":true}');
    const profile = await fetch(`${dev!.url}/v1/profiles/${anon}`, { headers: { authorization: 'Bearer dev-admin', 'x-forwarded-for': ip } });
    expect(profile.status).toBe(200);
    expect(((await profile.json()) as { counters: Record<string, { count: number }> }).counters.Hostile!.count).toBe(1);
  });
});
