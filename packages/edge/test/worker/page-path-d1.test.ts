// The page path reads nothing from D1 (issue 20, item 7): D1 lives in one region, so a visitor far from it would
// wait a round trip across the world before the first byte. Pages, decide and recommendations read the KV copies
// of the statistics that the writer of the statistics keeps (recs/materialize.ts), and what they show is what D1
// holds. D1 is counted through a Proxy around the Worker's EVENTS binding: every property read is a use.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { currentCatalog } from '../../src/catalog/store.js';
import { validateConfig } from '../../src/config/validate.js';
import type { RecommendationsResponse } from '../../src/contract/catalog.js';
import type { Profile } from '../../src/contract/profile.js';
import { createApp } from '../../src/index.js';
import { emptyProfile } from '../../src/profile/apply.js';
import { recommend } from '../../src/recs/recommend.js';
import { forgetStats } from '../../src/recs/stats-read.js';
import { seedsOf } from '../../src/recs/strategies.js';
import { signedCookie } from '../signed-cookie.js';
import { freshVisitorId, ORIGIN, uid } from './helpers.js';
import { materialize, pairCount, statsFromD1, untilD1 } from './recs-helpers.js';

const { app } = createApp(config, catalog);
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** The Worker's bindings with D1 counted: the names of what was used on it, in order. */
function countingEnv() {
  const used: string[] = [];
  const d1 = new Proxy(env.EVENTS, {
    get(target, name) {
      used.push(String(name));
      const v = Reflect.get(target, name) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const counted = new Proxy(env, { get: (target, name) => (name === 'EVENTS' ? d1 : Reflect.get(target, name)) });
  return { used, env: counted };
}

// Products of the demo catalog, in stock, from three categories, that no other test pairs.
const inStock = catalog.products.filter((p) => p.inStock && p.id.endsWith('4'));
const P = inStock[0]!;
const others = inStock.reduce((picked, p) => (picked.some((q) => q.categories[0] === p.categories[0]) ? picked : [...picked, p]), [P]).slice(1, 4);
if (others.length < 3) throw new Error('the demo catalog has fewer than four categories of in-stock products ending in 4');
const [X, Y, Z] = others as [typeof P, typeof P, typeof P];

/** One shopper's visit: `first` viewed, then `then` a minute later. */
const views = (first: string, then: string) => {
  const anonymousId = uid('pair-shopper');
  const consent = { context: { consent: { analytics: true, personalization: true } } };
  const at = (ago: number) => new Date(Date.now() - ago).toISOString();
  return [first, then].map((product_id, i) => ({
    type: 'track',
    event: 'Product Viewed',
    messageId: uid('m'),
    anonymousId,
    timestamp: at(120_000 - i * 60_000),
    properties: { product_id },
    ...consent,
  }));
};

/** A shopper who viewed X, then P, then Y: what they looked at seeds their viewed-together and for-you rows. */
async function visitorWithHistory(): Promise<{ cookie: string; profile: Profile }> {
  const anonymousId = freshVisitorId();
  const p = emptyProfile('demo', `a:${anonymousId}`, new Date(Date.now() - 86_400_000).toISOString());
  p.ids.anonymousIds.push(anonymousId);
  p.consent = { analytics: true, personalization: true, updatedAt: p.firstSeen };
  p.recent = [X, P, Y].map((x, i) => ({ productId: x.id, name: x.name, category: x.categories[0]!, at: new Date(Date.now() - (3 - i) * 60_000).toISOString() }));
  await env.PROFILES.put(`p:demo:a:${anonymousId}`, JSON.stringify(p));
  return { cookie: await signedCookie(anonymousId), profile: p };
}

/** The row of one <attune-recs strategy=…> as served: product ids and reasons, in order. */
function row(html: string, strategy: string) {
  const m = new RegExp(`<attune-recs[^>]*strategy="${strategy}"[^>]*>([\\s\\S]*?)</attune-recs>`).exec(html);
  expect(m, `no <attune-recs strategy="${strategy}"> in the page`).not.toBeNull();
  const items = [...m![1]!.matchAll(/<li class="attune-recs__item"[^>]*data-id="([^"]+)"[\s\S]*?<p class="attune-recs__reason">([^<]*)<\/p>/g)];
  return items.map(([, id, reason]) => ({ id, reason: reason!.replace(/&#39;/g, "'").replace(/&amp;/g, '&') }));
}

/** What recommend() serves from the statistics as D1 holds them: the reference for the pages. */
async function fromD1(strategy: string, profile: Profile, item?: string) {
  const valid = validateConfig(config, { allowLocalWebhooks: true });
  if (!valid.ok) throw new Error('the demo config is invalid');
  const compiled = (await currentCatalog(env.PROFILES, 'demo', catalog))!;
  const seeds = (['viewed', 'bought'] as const).flatMap((kind) => seedsOf({ item, profile }, kind).map((s) => ({ kind, item: s })));
  const stats = await statsFromD1('demo', seeds);
  return recommend({ catalog: compiled, config: valid.config, profile, stats, item, now: Date.now(), strategy, limit: 4 });
}

describe('the page path and D1', () => {
  beforeAll(async () => {
    // Viewed together: P with X by three shoppers, with Y by two, with Z by one (under the demo's support of 2).
    const batch = [...[X, X, X, Y, Y, Z].flatMap((o) => views(P.id, o.id))];
    const res = await app.fetch(new Request(`${ORIGIN}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ writeKey: 'demo', batch }) }), env);
    expect(res.status, await res.text()).toBe(200);
    await untilD1('the test\'s pairs', async () => (await pairCount('viewed', P.id, X.id)) === 3 && (await pairCount('viewed', P.id, Y.id)) === 2 && (await pairCount('viewed', P.id, Z.id)) === 1);
    // The writer of the statistics copies what pages read into KV (the queue consumer, after its D1 batch).
    await materialize([P, X, Y, Z].map((p) => p.id));
  });

  it('serves a product page, the home page, decide and recommendations for a visitor with history without one D1 call', async () => {
    const { cookie } = await visitorWithHistory();
    forgetStats(); // nothing held in this isolate: every statistic is read for these requests
    const { used, env: counted } = countingEnv();
    const get = (path: string) => app.fetch(new Request(`${ORIGIN}${path}`, { headers: { cookie, 'user-agent': CHROME } }), counted);

    const product = await get(`/products/${P.id}`);
    expect(product.status).toBe(200);
    const html = await product.text();
    expect(row(html, 'pdp-viewed').slice(0, 2).map((r) => r.id)).toEqual([X.id, Y.id]);
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(row(await home.text(), 'home-for-you')).not.toEqual([]);
    const decided = await app.fetch(
      new Request(`${ORIGIN}/v1/decide`, { method: 'POST', headers: { cookie, 'user-agent': CHROME, 'content-type': 'text/plain', origin: ORIGIN }, body: JSON.stringify({ writeKey: 'demo' }) }),
      counted,
    );
    expect(decided.status, await decided.clone().text()).toBe(200);
    for (const q of [`strategy=pdp-viewed&item=${P.id}`, `strategy=pdp-bought&item=${P.id}`, 'strategy=home-for-you', 'strategy=category-trending&category=serums', 'strategy=popular']) {
      const r = await get(`/v1/recommendations?writeKey=demo&${q}`);
      expect(r.status, `${q}: ${await r.clone().text()}`).toBe(200);
    }
    expect(used).toEqual([]);
  });

  it('shows on the product page the viewed-together row that D1 holds', async () => {
    const { cookie, profile } = await visitorWithHistory();
    forgetStats();
    const html = await (await app.fetch(new Request(`${ORIGIN}/products/${P.id}`, { headers: { cookie, 'user-agent': CHROME } }), env)).text();
    const served = row(html, 'pdp-viewed');
    const expected = await fromD1('pdp-viewed', profile, P.id);
    expect(served).toEqual(expected.items.map((i) => ({ id: i.product.id, reason: i.reason })));
    // The pairs themselves: X (3 shoppers), then Y (2); Z (1) is under the support, so not "also viewed".
    expect(served.slice(0, 2)).toEqual([X, Y].map((x) => ({ id: x.id, reason: `Shoppers who viewed ${P.name} also viewed this` })));
    expect(served.find((r) => r.id === Z.id)?.reason ?? '').not.toMatch(/also viewed/);
  });

  it('answers GET /v1/recommendations with what D1 holds, for the product and for the visitor', async () => {
    const { cookie, profile } = await visitorWithHistory();
    forgetStats();
    for (const [strategy, item] of [['pdp-viewed', P.id], ['pdp-bought', P.id], ['home-for-you', undefined]] as const) {
      const res = await app.fetch(new Request(`${ORIGIN}/v1/recommendations?writeKey=demo&strategy=${strategy}&limit=4${item ? `&item=${item}` : ''}`, { headers: { cookie } }), env);
      expect(res.status).toBe(200);
      expect(((await res.json()) as RecommendationsResponse).items, strategy).toEqual((await fromD1(strategy, profile, item)).items);
    }
  });
});
