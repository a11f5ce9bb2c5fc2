// Rate limits on the real local stack (`wrangler dev`), with requests spread over many connections at once.
//
// What this proves, and what it cannot. On Cloudflare the Rate Limiting binding is a service that counts each
// key for every isolate of a location. Locally, miniflare runs it as a "wrapped binding": a module inside the
// Worker's own (single) isolate whose counters reset when `wrangler dev` reloads the Worker (measured: 300
// reads refused, the bundle touched, the next read 200), and two Workers sharing a namespace_id get two
// counters. So no local runtime can show a count shared by several isolates. What is shown here is the part
// that is ours: the count Attune enforces is the binding's, not the Worker's module memory — reads are refused
// at the binding's limit while the isolate's own count (the site's rateLimitPerMinute) would allow twice as
// many, and a site that raised its own limit past the ingest binding's is still refused at the binding's —
// and it is exact when the requests come in together over separate connections.
//
// The local binding counts in windows aligned to the wall clock's minutes, so each burst starts where the
// current minute has room left for it (waiting at most ~25 s): the result never depends on when the test runs.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { BUDGETS } from '../../src/http/rate-limit.js';

let dev: { url: string; stop: () => Promise<void> } | undefined;
beforeAll(async () => {
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

type Answer = { status: number; retryAfter: string | null; error?: string };

/** One request on a connection of its own (no keep-alive, no pool): what clients spread over a network send. */
function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${dev!.url}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let error: string | undefined;
        try {
          error = (JSON.parse(text) as { error?: string }).error;
        } catch {}
        resolve({ status: res.statusCode!, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, error });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` requests, `together` at a time, each on its own connection. */
async function spread(count: number, together: number, send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: together }, async () => {
    while (next < count) answers.push(await send(next++));
  }));
  return answers;
}

const tally = (answers: Answer[]) => answers.reduce<Record<number, number>>((t, a) => ((t[a.status] = (t[a.status] ?? 0) + 1), t), {});

/** Waits, if need be, until the wall clock's current minute has `seconds` left (the local binding's window). */
async function roomInMinute(seconds: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 500));
}

let n = 0;
const client = () => `10.66.${Math.floor(n / 250)}.${n++ % 250}`;

describe('rate limits on wrangler dev, over many connections at once', () => {
  it('refuse reads at the binding’s limit, though the isolate’s own count would allow twice as many', async () => {
    const ip = client();
    const reads = BUDGETS.reads.limit;
    await roomInMinute(25);
    const t0 = Date.now();
    // decide, recommendations and catalog share the budget: a third each, 40 connections at a time.
    const paths = ['/v1/catalog?site=demo', '/v1/recommendations?writeKey=demo&strategy=popular', null];
    const answers = await spread(reads + 40, 40, (i) => {
      const path = paths[i % 3];
      return path ? request('GET', path, { 'cf-connecting-ip': ip }) : request('POST', '/v1/decide', { 'cf-connecting-ip': ip }, JSON.stringify({ writeKey: 'demo', anonymousId: `rl-${i}` }));
    });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`rate-limit-isolates: ${reads + 40} reads over ${reads + 40} connections, 40 at a time, in ${seconds.toFixed(1)} s: ${JSON.stringify(tally(answers))}`);
    expect(tally(answers)).toEqual({ 200: reads, 429: 40 });
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.retryAfter).toBe(String(BUDGETS.reads.period));
    // The site allows 600 a minute in each isolate: the refusal is the binding's.
    expect(refused.error).toMatch(new RegExp(`rate limit of ${reads} requests a minute for site "demo" reached \\(reads: .*counted across isolates\\)`));
    expect((await request('GET', '/v1/catalog?site=demo', { 'cf-connecting-ip': client() })).status).toBe(200); // another client
  });

  it('cap ingest at the binding’s limit for a site that raised its own limit past it', async () => {
    const admin = { authorization: 'Bearer dev-admin', 'cf-connecting-ip': client() };
    const current = JSON.parse(await (await fetch(`${dev!.url}/v1/config`, { headers: admin })).text()) as { config: { sites: Record<string, { rateLimitPerMinute?: number }> } };
    current.config.sites.demo!.rateLimitPerMinute = 5 * BUDGETS.ingest.limit;
    const put = await fetch(`${dev!.url}/v1/config`, { method: 'PUT', headers: admin, body: JSON.stringify(current.config) });
    expect(put.status, await put.clone().text()).toBe(200);

    const ip = client();
    const limit = BUDGETS.ingest.limit;
    await roomInMinute(30);
    // Empty batches: counted, then refused 400, so nothing is written.
    const answers = await spread(limit + 20, 40, () => request('POST', '/v1/batch', { 'cf-connecting-ip': ip }, '{"writeKey":"demo","batch":[]}'));
    console.log(`rate-limit-isolates: ${limit + 20} ingest requests, site limit ${5 * limit}/min: ${JSON.stringify(tally(answers))}`);
    expect(tally(answers)).toEqual({ 400: limit, 429: 20 });
    expect(answers.find((a) => a.status === 429)!.error).toMatch(new RegExp(`rate limit of ${limit} requests a minute for site "demo" reached \\(ingest; counted across isolates\\)`));
  });

  it('lock a client out after 10 wrong admin tokens sent over paths and connections at once, the right token included', async () => {
    const ip = client();
    const limit = BUDGETS.adminFailures.limit;
    await roomInMinute(15);
    const paths = ['/v1/profiles/x', '/v1/reports/overview', '/v1/config', '/v1/profiles/y/export'];
    const answers = await spread(limit + 10, 20, (i) => request('GET', paths[i % paths.length]!, { authorization: `Bearer guess-${i}`, 'cf-connecting-ip': ip }));
    expect(tally(answers)).toEqual({ 401: limit, 429: 10 });
    const right = await request('GET', '/v1/config', { authorization: 'Bearer dev-admin', 'cf-connecting-ip': ip });
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(right.error).toMatch(/failed admin authentications/);
    expect((await request('GET', '/v1/config', { authorization: 'Bearer dev-admin', 'cf-connecting-ip': client() })).status).toBe(200);
  });
});
