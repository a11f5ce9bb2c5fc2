// Rate limits held by Cloudflare's Rate Limiting binding (wrangler.toml `[[ratelimits]]`), as a client sees
// them: every public read route and failed admin authentications answer 429 with Retry-After past their
// budget, per client. Each test runs at a fixed instant of its own (atTime), well inside one minute, because
// the local binding counts in windows aligned to the wall clock's minutes.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { atTime, inOneRealMinute } from '../../../../test/clock.js';
import { BUDGETS } from '../../src/http/rate-limit.js';
import { createApp } from '../../src/index.js';
import { ORIGIN, uid } from './helpers.js';

const AT = '2031-03-04T05:06:03Z';
let n = 0;
/** A client address no other test uses. */
const client = () => `10.${77 + Math.floor(n / 60000)}.${Math.floor(n / 250) % 250}.${n++ % 250}`;
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

type Env = Record<string, unknown>;
function app(sites: Record<string, unknown> = {}) {
  const a = createApp({ ...config, sites: { demo: { ...config.sites.demo, ...sites } } }, catalog);
  return (path: string, ip: string, init: RequestInit = {}, bindings: Env = {}) =>
    a.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers: { 'cf-connecting-ip': ip, ...(init.headers as Record<string, string>) } }), { ...env, ...bindings });
}

const READS = BUDGETS.reads.limit;
const decide = (ip: string) => ({ path: '/v1/decide', ip, init: { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: uid() }) } });
const catalogOf = (ip: string) => ({ path: '/v1/catalog?site=demo', ip, init: {} });
const recs = (ip: string) => ({ path: `/v1/recommendations?writeKey=demo&strategy=popular`, ip, init: {} });

/** Sends `count` requests, a few at a time, and returns how many got each status. */
async function burst(send: () => Promise<Response>, count: number): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => send()));
    for (const r of batch) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    await Promise.all(batch.map((r) => r.arrayBuffer()));
  }
  return statuses;
}

describe('the rate-limiting bindings', () => {
  it('refuse at exactly the limits rate-limit.ts names in its 429s', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      for (const b of Object.values(BUDGETS)) {
        const binding = (env as unknown as Record<string, RateLimit>)[b.binding]!;
        const key = uid('binding');
        const outcomes = await Promise.all(Array.from({ length: b.limit + 1 }, () => binding.limit({ key })));
        expect(outcomes.filter((o) => o.success).length, b.binding).toBe(b.limit);
      }
    })));
});

describe('public reads', () => {
  it('share one budget per site and client across decide, recommendations, catalog and consent: 429 with Retry-After past it', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      // The site allows far more in each isolate: what refuses is the binding's count.
      const send = app({ rateLimitPerMinute: 100_000 });
      const ip = client();
      const go = ({ path, ip, init }: { path: string; ip: string; init: RequestInit }) => send(path, ip, init);
      expect(await burst(() => go(catalogOf(ip)), READS - 2)).toEqual({ 200: READS - 2 });
      expect((await go(decide(ip))).status).toBe(200);
      expect((await go(recs(ip))).status).toBe(200);
      const refused = [await go(decide(ip)), await go(recs(ip)), await go(catalogOf(ip)), await send('/v1/consent', ip, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: uid(), consent: { analytics: true, personalization: true } }) })];
      for (const res of refused) {
        expect(res.status, res.url).toBe(429);
        expect(res.headers.get('retry-after'), res.url).toBe(String(BUDGETS.reads.period));
        expect(await errorOf(res), res.url).toMatch(new RegExp(`^rate limit of ${READS} requests a minute for site "demo" reached \\(reads: decide, recommendations, catalog, quizzes, consent; counted across isolates\\)`));
      }
      // Another client has a budget of its own.
      const other = client();
      expect((await go(decide(other))).status).toBe(200);
      expect((await go(recs(other))).status).toBe(200);
    })));

  it('limit quizzes per client too', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const send = app();
      const ip = client();
      expect(await burst(() => send('/v1/quizzes/skin', ip), READS)).toEqual({ 200: READS });
      const res = await send('/v1/quizzes/skin', ip);
      expect(res.status).toBe(429);
      expect(await errorOf(res)).toMatch(/rate limit of 300 requests a minute per client reached/);
      expect((await send('/v1/quizzes/skin', client())).status).toBe(200);
    })));

  it("keep a site's stricter rateLimitPerMinute, and count in the isolate where the binding is absent", () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const strict = app({ rateLimitPerMinute: 5 });
      const ip = client();
      expect(await burst(() => strict('/v1/catalog?site=demo', ip), 6)).toEqual({ 200: 5, 429: 1 });
      expect(await errorOf(await strict('/v1/catalog?site=demo', ip))).toMatch(/^rate limit of 5 requests a minute for site "demo" reached \(reads/);
      // A unit-test app without the binding: this isolate stands in for it, at the binding's limit.
      const send = app();
      const alone = client();
      const noBinding = { RATE_LIMIT_READS: undefined };
      expect(await burst(() => send('/v1/catalog?site=demo', alone, {}, noBinding), READS + 1)).toEqual({ 200: READS, 429: 1 });
      const res = await send('/v1/catalog?site=demo', alone, {}, noBinding);
      expect(await errorOf(res)).not.toMatch(/across isolates/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    })));

  it('are not limited below ATTUNE_RATE_LIMIT_PER_MINUTE when an operator sets it above the binding (the benchmarks do)', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const send = app();
      const ip = client();
      const vars = { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' };
      expect(await burst(() => send('/v1/catalog?site=demo', ip, {}, vars), READS + 50)).toEqual({ 200: READS + 50 });
      expect((await send('/v1/decide', ip, decide(ip).init, vars)).status).toBe(200);
    })));
});

describe('failed admin authentication', () => {
  const LIMIT = BUDGETS.adminFailures.limit;
  const get = (path: string, ip: string, token: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip } });
  const PATHS = ['/v1/profiles/x', '/v1/reports/overview', '/v1/config', '/v1/profiles/y/export'];

  it('answers 429 with Retry-After past the budget, whatever path the wrong tokens went to, and then refuses even the right token', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const ip = client();
      for (let i = 0; i < LIMIT; i++) {
        const res = await get(PATHS[i % PATHS.length]!, ip, `guess-${i}`);
        expect(res.status, `failure ${i + 1}`).toBe(401);
      }
      const res = await get('/v1/profiles/x', ip, 'guess-last');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await errorOf(res)).toMatch(/^rate limit of 10 requests a minute per client reached \(failed admin authentications/);
      // Locked out: the right token is refused like a wrong one, so a right guess cannot show among the 429s.
      const right = await get('/v1/config', ip, 'dev-admin');
      expect(right.status).toBe(429);
      expect(await errorOf(right)).toMatch(/failed admin authentications/);
      // Another client is not held back.
      expect((await get('/v1/config', client(), 'dev-admin')).status).toBe(200);
    })));

  it('counts the addresses of one IPv6 /64 as one client', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const net = `2001:db8:${(n++).toString(16)}:7`;
      for (let i = 0; i < LIMIT; i++) expect((await get('/v1/config', `${net}::${(i + 1).toString(16)}`, 'wrong')).status).toBe(401);
      expect((await get('/v1/config', `${net}:0:0:0:ff`, 'wrong')).status).toBe(429);
      expect((await get('/v1/config', `${net.replace(/7$/, '8')}::1`, 'dev-admin')).status).toBe(200); // the next /64
    })));

  it('does not count a right token', () =>
    inOneRealMinute(() => atTime(AT, async () => {
      const ip = client();
      for (let i = 0; i < LIMIT - 1; i++) expect((await get('/v1/config', ip, 'wrong')).status).toBe(401);
      for (let i = 0; i < 3 * LIMIT; i++) expect((await get('/v1/config', ip, 'dev-admin')).status, `right token ${i + 1}`).toBe(200);
      expect((await get('/v1/config', ip, 'wrong')).status).toBe(401); // the 10th failure
      expect((await get('/v1/config', ip, 'wrong')).status).toBe(429);
    })));
});
