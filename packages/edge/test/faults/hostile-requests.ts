// Hostile HTTP, generated: the requests (a fast-check arbitrary over targets, methods, bodies, encodings, content
// types, keys, tokens, origins and clients), their bytes, and a runner that sends them N at a time over keep-alive
// connections and sorts what a client observed. Shared by the fault tests that aim it at a real `wrangler dev`.
import fc from 'fast-check';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import config from '../../../../demo-site/attune.config.json';

export const SEED = Number(process.env.HOSTILE_SEED ?? 18_045);
export const AT_ONCE = 8;
export const SLOW_MS = 5000;
const GIVE_UP_MS = 15_000; // a request still unanswered then is a hang (and counted slow)
export const K = 1024;
const ORIGIN = config.sites.demo.allowedOrigins[0]!;
/**
 * Methods the Worker sees, and FOO, which the runtime's HTTP parser refuses before any Worker code runs: 501, or,
 * sent with a large body, a reset while the body is still uploading. Those are counted apart.
 */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PURGE', 'FOO'] as const;
const RUNTIME_501 = 'ERROR: Unrecognized request method.';
const TYPES = [undefined, 'application/json', 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/vnd.segment+json', 'text/html', ';;'];

export type Body =
  | { kind: 'none' }
  | { kind: 'events'; n: number }
  | { kind: 'json' | 'text' | 'binary'; size: number }
  | { kind: 'form' | 'bomb' };
export type Req = {
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
export const request = (targets: { method: string; path: string }[]): fc.Arbitrary<Req> =>
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
export const event = (i: number, j: number, type = 'track') => ({ type, event: 'Hostile', messageId: `hostile-${SEED}-${i}-${j}`, anonymousId: `hostile-${SEED}-${i % 50}`, properties: { j } });

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

export type Outcome = { status?: number; head?: string; error?: string; ms: number };

/** One request over its own or a reused keep-alive connection; resolves with what a client observed. */
function send(agent: http.Agent, url: string, method: string, headers: Record<string, string>, bytes: Buffer | null): Promise<Outcome> {
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

export type Seen = Outcome & { i: number; what: string };

/** Sends `reqs` to `base`, `atOnce` at a time; a request's description names it in any failure. */
export async function run(base: string, reqs: Req[], atOnce = AT_ONCE): Promise<{ outcomes: Seen[]; wall: number; sentBytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: atOnce });
  const outcomes: Seen[] = [];
  let next = 0;
  let sentBytes = 0;
  const t0 = performance.now();
  const lane = async () => {
    for (let i = next++; i < reqs.length; i = next++) {
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
      const o = await send(agent, `${base}${r.target.path}${query}`, method, headers, bytes);
      const what = `#${i} ${method} ${r.target.path}${query} body=${r.body.kind}${'size' in r.body ? `:${r.body.size}` : ''} ${r.wrap} (${bytes?.byteLength ?? 'none'} bytes) type=${r.type} auth=${r.auth} key=${r.bodyKey}`;
      outcomes.push({ ...o, i, what });
    }
  };
  await Promise.all(Array.from({ length: atOnce }, lane));
  agent.destroy();
  return { outcomes, wall: (performance.now() - t0) / 1000, sentBytes };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

/** The failures of a run (5xx, dropped or cut-off answers, slow answers), and one line of figures. */
export function verdict(name: string, r: Awaited<ReturnType<typeof run>>) {
  const { outcomes } = r;
  const byRuntime = (o: Seen) => / FOO /.test(o.what) && (o.status === 501 ? o.head === RUNTIME_501 : /^(ECONNRESET|EPIPE) /.test(o.error ?? ''));
  const fiveXX = outcomes.filter((o) => o.status !== undefined && o.status >= 500 && !byRuntime(o));
  const dropped = outcomes.filter((o) => o.error && !byRuntime(o));
  const slow = outcomes.filter((o) => o.ms > SLOW_MS);
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[o.status ?? 'error'] = (statuses[o.status ?? 'error'] ?? 0) + 1;
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const line =
    `${name}: ${outcomes.length} requests, ${(r.sentBytes / K / K).toFixed(0)} MB of bodies, ${AT_ONCE} at a time, in ${r.wall.toFixed(1)} s; ` +
    `5xx ${fiveXX.length}, dropped ${dropped.length}, unknown method refused by the runtime ${outcomes.filter(byRuntime).length}, slow (> ${SLOW_MS} ms) ${slow.length}; ` +
    `p50 ${pct(ms, 50)} ms, p99 ${pct(ms, 99)} ms, max ${ms.at(-1)} ms; statuses ${JSON.stringify(statuses)}`;
  const show = (os: Seen[]) => os.slice(0, 15).map((o) => `${o.what} → ${o.status ?? o.error} in ${o.ms} ms ${o.head?.slice(0, 120) ?? ''}`);
  return { line, fiveXX: show(fiveXX), dropped: show(dropped), slow: show(slow) };
}
