// Hostile HTTP against one real `wrangler dev` (the local stack `npm start` runs), generated: every route read
// from the router plus the store's pages, an asset and unknown paths; every method (and two it does not know);
// bodies from none to 1 MB of every kind (JSON, not JSON, binary, gzip declared but not gzip, real gzip,
// truncated gzip, over the limit, a gzip bomb); right, wrong and missing write keys and admin tokens; right and
// wrong content types; 8 at a time. No answer may be a 5xx, drop its connection or take over 5 s, and afterwards
// the stack still serves the store and takes a batch. The requests come from a fixed fast-check seed (printed;
// HOSTILE_SEED replays another), so a failure names the request that caused it and replays the same way.
import fc from 'fast-check';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

// The app is imported only to read its routes: the Durable Object base class is all it needs of workerd.
vi.mock('cloudflare:workers', () => ({ DurableObject: class {} }));

const SEED = Number(process.env.HOSTILE_SEED ?? 18_045);
const COUNT = 3000;
const AT_ONCE = 8;
const SLOW_MS = 5000;
const GIVE_UP_MS = 15_000; // a request still unanswered then is a hang (and counted slow)
const K = 1024;
const ORIGIN = config.sites.demo.allowedOrigins[0]!;
const PRODUCT = catalog.products[0]!.id;
/**
 * Methods the Worker sees, and FOO, which the runtime's HTTP parser refuses before any Worker code runs: 501, or,
 * sent with a large body, a reset while the body is still uploading. Those are counted apart.
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PURGE', 'FOO'] as const;
const RUNTIME_501 = 'ERROR: Unrecognized request method.';
const TYPES = [undefined, 'application/json', 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/vnd.segment+json', 'text/html', ';;'];

type Body =
  | { kind: 'none' }
  | { kind: 'events'; n: number }
  | { kind: 'json' | 'text' | 'binary'; size: number }
  | { kind: 'form' | 'bomb' };
type Req = {
  target: { method: string; path: string };
  method: string | null; // null: the route's own
  body: Body;
  wrap: 'plain' | 'gzip' | 'truncated-gzip' | 'fake-gzip' | 'br';
  type: string | undefined;
  bodyKey: string | null;
  auth: string | null;
  origin: string | null;
  client: number;
};

const size = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 2 * K }) },
  { weight: 3, arbitrary: fc.integer({ min: 2 * K, max: 64 * K }) },
  { weight: 1, arbitrary: fc.integer({ min: 64 * K, max: 1024 * K }) },
  { weight: 1, arbitrary: fc.integer({ min: 480 * K, max: 1024 * K }) }, // around and over the 500 KB batch limit
);
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => ({ kind: 'events' as const, n })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('json' as const, 'text' as const, 'binary' as const), size }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'form' as const }, { kind: 'bomb' as const }) },
);
/** Half the requests go to the routes that read a body, where most of the body handling is. */
const request = (targets: { method: string; path: string }[]): fc.Arbitrary<Req> =>
  fc.record({
    target: fc.oneof(fc.constantFrom(...targets.filter((t) => t.method === 'POST')), fc.constantFrom(...targets)),
    method: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...METHODS) }),
    body,
    wrap: fc.constantFrom('plain', 'plain', 'plain', 'gzip', 'truncated-gzip', 'fake-gzip', 'br'),
    type: fc.constantFrom(...TYPES),
    bodyKey: fc.constantFrom('demo', 'demo', 'nope', null),
    auth: fc.constantFrom(null, null, 'Bearer dev-admin', 'Bearer wrong', `Basic ${btoa('demo:')}`, `Basic ${btoa('nope:')}`),
    origin: fc.constantFrom(null, ORIGIN, 'https://evil.example'),
    client: fc.integer({ min: 1, max: 16 }),
  });

/** Same bytes for the same seed: a xorshift stream. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const BOMB = gzipSync(Buffer.alloc(4 * 1024 * K)); // 4 MB of zeros in ~4 KB
const event = (i: number, j: number, type = 'track') => ({ type, event: 'Hostile', messageId: `hostile-${SEED}-${i}-${j}`, anonymousId: `hostile-${SEED}-${i % 50}`, properties: { j } });

/** The bytes a request sends, shaped for its path where it carries events. */
function bytesOf(r: Req, path: string, i: number): Buffer | null {
  const b = r.body;
  const key = r.bodyKey === null ? {} : { writeKey: r.bodyKey };
  let raw: Buffer;
  if (b.kind === 'none') return null;
  else if (b.kind === 'bomb') return BOMB;
  else if (b.kind === 'form') raw = Buffer.from('a=1&b=2&writeKey=demo');
  else if (b.kind === 'events') {
    const single = /^\/v1\/(track|page|identify|alias|screen|group)$/.exec(path)?.[1];
    const events = Array.from({ length: b.n }, (_, j) => event(i, j));
    raw = Buffer.from(JSON.stringify(single ? { ...key, ...event(i, 0, single) } : { ...key, anonymousId: events[0]!.anonymousId, batch: events }));
  } else if (b.kind === 'json') raw = Buffer.from(JSON.stringify({ ...key, batch: [event(i, 0)], pad: 'x'.repeat(b.size) }));
  else if (b.kind === 'text') raw = Buffer.from('not json '.repeat(Math.ceil(b.size / 9)).slice(0, b.size));
  else raw = Buffer.from(noise(b.size, SEED ^ i));
  if (r.wrap === 'gzip') return gzipSync(raw);
  if (r.wrap === 'truncated-gzip') {
    const gz = gzipSync(raw);
    return gz.subarray(0, Math.max(1, Math.floor(gz.byteLength * ((i % 9) + 1) / 10)));
  }
  return raw;
}

type Outcome = { status?: number; head?: string; error?: string; ms: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: AT_ONCE });

/** One request over its own or a reused keep-alive connection; resolves with what a client observed. */
function send(url: string, method: string, headers: Record<string, string>, bytes: Buffer | null): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let settled = false;
    const done = (o: Omit<Outcome, 'ms'>) => {
      if (!settled) (settled = true), resolve({ ...o, ms: Math.round(performance.now() - t0) });
    };
    const req = http.request(url, { method, agent, headers: bytes ? { ...headers, 'content-length': String(bytes.byteLength) } : headers }, (res) => {
      let head = '';
      res.on('data', (d: Buffer) => void (head.length < 200 && (head += d.toString('utf8', 0, 200))));
      res.on('end', () => done(res.complete ? { status: res.statusCode!, head } : { error: `answer cut off after ${head.length} bytes (${res.statusCode})` }));
      res.on('error', (e: NodeJS.ErrnoException) => done({ error: `${e.code ?? ''} ${e.message}` }));
    });
    req.setTimeout(GIVE_UP_MS, () => req.destroy(new Error(`no answer in ${GIVE_UP_MS} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: `${e.code ?? ''} ${e.message}` }));
    req.end(bytes ?? undefined);
  });
}

let dev: { url: string; stop: () => Promise<void>; output: () => string } | undefined;
let targets: { method: string; path: string }[] = [];

beforeAll(async () => {
  const { createApp } = await import('../../src/index.js');
  const seen = new Set<string>();
  const fill = (p: string) => p.replace(/:[a-zA-Z]+/g, 'x').replace(/\*/g, 'anything');
  for (const r of createApp(config, catalog).app.routes) {
    const t = { method: r.method === 'ALL' ? 'GET' : r.method, path: fill(r.path) };
    if (!seen.has(`${t.method} ${t.path}`)) seen.add(`${t.method} ${t.path}`), targets.push(t);
  }
  for (const path of ['/', '/admin/', `/products/${PRODUCT}`, `/products/${PRODUCT}.html`, '/attune.js', '/styles.css', '/no-such-page', '/v1/no-such-route', '/v1', '/%2e%2e/etc/passwd', '/admin/../v1/batch'])
    targets.push({ method: 'GET', path });
  dev = await startDev();
}, 120_000);
afterAll(async () => {
  agent.destroy();
  await dev?.stop();
});

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

describe('hostile HTTP against wrangler dev', () => {
  it(`answers ${COUNT} generated requests, ${AT_ONCE} at a time, without a 5xx, a dropped connection or an answer over ${SLOW_MS / 1000} s`, async () => {
    expect(targets.length).toBeGreaterThan(30);
    const reqs = fc.sample(request(targets), { seed: SEED, numRuns: COUNT });
    console.log(`hostile-http: seed ${SEED} (HOSTILE_SEED=${SEED} replays it), ${COUNT} requests over ${targets.length} targets`);
    const outcomes: (Outcome & { i: number; what: string })[] = [];
    let next = 0;
    let sentBytes = 0;
    const t0 = performance.now();
    const lane = async () => {
      for (let i = next++; i < COUNT; i = next++) {
        const r = reqs[i]!;
        const method = r.method ?? r.target.method;
        const query = r.bodyKey && i % 5 === 0 ? `${r.target.path.includes('?') ? '&' : '?'}writeKey=${r.bodyKey}` : '';
        const bytes = bytesOf(r, r.target.path, i);
        const ip = `10.66.0.${r.client}`;
        const headers: Record<string, string> = { 'x-forwarded-for': ip, 'cf-connecting-ip': ip };
        if (r.type) headers['content-type'] = r.type;
        if (r.wrap === 'br') headers['content-encoding'] = 'br';
        else if (r.wrap !== 'plain' || r.body.kind === 'bomb') headers['content-encoding'] = 'gzip'; // fake-gzip: declared, not gzip
        if (r.auth) headers.authorization = r.auth;
        if (r.origin) headers.origin = r.origin;
        sentBytes += bytes?.byteLength ?? 0;
        const o = await send(`${dev!.url}${r.target.path}${query}`, method, headers, bytes);
        const what = `#${i} ${method} ${r.target.path}${query} body=${r.body.kind}${'size' in r.body ? `:${r.body.size}` : ''} ${r.wrap} (${bytes?.byteLength ?? 'none'} bytes) type=${r.type} auth=${r.auth} key=${r.bodyKey}`;
        outcomes.push({ ...o, i, what });
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, lane));
    const wall = (performance.now() - t0) / 1000;

    const byRuntime = (o: Outcome & { what: string }) => / FOO /.test(o.what) && (o.status === 501 ? o.head === RUNTIME_501 : /^(ECONNRESET|EPIPE) /.test(o.error ?? ''));
    const fiveXX = outcomes.filter((o) => o.status !== undefined && o.status >= 500 && !byRuntime(o));
    const dropped = outcomes.filter((o) => o.error && !byRuntime(o));
    const slow = outcomes.filter((o) => o.ms > SLOW_MS);
    const statuses: Record<string, number> = {};
    for (const o of outcomes) statuses[o.status ?? 'error'] = (statuses[o.status ?? 'error'] ?? 0) + 1;
    const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    console.log(
      `hostile-http: ${COUNT} requests, ${(sentBytes / K / K).toFixed(0)} MB of bodies, ${AT_ONCE} at a time, in ${wall.toFixed(1)} s; ` +
        `5xx ${fiveXX.length}, dropped ${dropped.length}, unknown method refused by the runtime ${outcomes.filter(byRuntime).length}, slow (> ${SLOW_MS} ms) ${slow.length}; p50 ${pct(ms, 50)} ms, p99 ${pct(ms, 99)} ms, max ${ms.at(-1)} ms; statuses ${JSON.stringify(statuses)}`,
    );
    const show = (os: typeof outcomes) => os.slice(0, 15).map((o) => `${o.what} → ${o.status ?? o.error} in ${o.ms} ms ${o.head?.slice(0, 120) ?? ''}`);
    // Every method, body kind and wrapping was tried (the generator did its job).
    const tried = (f: (r: Req) => string) => new Set(reqs.map(f));
    expect([...tried((r) => r.method ?? r.target.method)]).toEqual(expect.arrayContaining([...METHODS]));
    expect(tried((r) => r.body.kind).size).toBe(7);
    expect(tried((r) => r.wrap).size).toBe(5);
    expect(tried((r) => `${r.target.method} ${r.target.path}`).size).toBe(targets.length);
    expect(show(fiveXX), 'answers 5xx').toEqual([]);
    expect(show(dropped), 'connections dropped or answers cut off').toEqual([]);
    expect(show(slow), `answers slower than ${SLOW_MS} ms`).toEqual([]);
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
