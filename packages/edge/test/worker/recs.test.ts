// GET /v1/recommendations and /v1/catalog, mounted as the Worker will mount them, over the demo config and
// catalog, with profiles in KV and statistics in D1 as the ingest leaves them, copied to KV as pages read them.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { signedCookie } from '../signed-cookie.js';
import type { RecommendationsResponse } from '../../src/contract/catalog.js';
import { emptyProfile } from '../../src/profile/apply.js';
import { createApp } from '../../src/index.js';
import { uid } from './helpers.js';
import { materialize, pairCount, untilD1 } from './recs-helpers.js';

const { app } = createApp(config, catalog);

const products = catalog.products;
const get = (query: string, headers: Record<string, string> = {}) => app.fetch(new Request(`http://localhost:8787/v1/recommendations?${query}`, { headers }), env);
const ok = async (query: string, headers: Record<string, string> = {}) => {
  const res = await get(query, headers);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as RecommendationsResponse;
};

async function visitor(edit: (p: ReturnType<typeof emptyProfile>) => void, personalization = true) {
  const anonymousId = uid('anon');
  const p = emptyProfile('demo', `a:${anonymousId}`, new Date().toISOString());
  p.ids.anonymousIds.push(anonymousId);
  edit(p);
  await env.PROFILES.put(`p:demo:a:${anonymousId}`, JSON.stringify(p));
  return { cookie: await signedCookie(anonymousId, { analytics: true, personalization }) };
}

const order = (anonymousId: string, ids: string[], at: string) => ({
  type: 'track',
  event: 'Order Completed',
  messageId: uid('m'),
  anonymousId,
  timestamp: at,
  properties: { products: ids.map((product_id) => ({ product_id })) },
});

describe('GET /v1/recommendations', () => {
  it('refuses unknown strategies, limits out of range, unknown products and categories, naming them', async () => {
    const cases: [string, number, RegExp][] = [
      ['strategy=for-yuo', 400, /unknown strategy "for-yuo" — did you mean "for-you"\?/],
      ['strategy=popular&limit=0', 400, /limit: "0" is not a whole number from 1 to 50/],
      ['strategy=popular&limit=ten', 400, /limit: "ten"/],
      ['strategy=bought-together&item=nope-1', 404, /unknown product "nope-1"/],
      ['strategy=trending&category=serum', 400, /unknown category "serum" — did you mean "serums"\?/],
    ];
    for (const [query, status, message] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(status);
      expect(((await res.json()) as { error: string }).error, query).toMatch(message);
    }
  });

  it('gives a visitor who only answered the quiz products for their skin type, saying why', async () => {
    const v = await visitor((p) => (p.answers['skin-type'] = { value: 'dry', quiz: 'skin', at: new Date().toISOString() }));
    const r = await ok('strategy=quiz-picks&limit=8', v);
    expect(r.items).toHaveLength(8);
    for (const item of r.items) {
      const product = products.find((p) => p.id === item.product.id)!;
      expect(product.attributes.skinType).toContain('dry');
      expect(product.inStock).toBe(true);
      expect(item.reason).toBe('Because you told us your skin is dry');
    }
  });

  it('ignores the profile without personalization consent, and still fills the list', async () => {
    const v = await visitor((p) => (p.answers['skin-type'] = { value: 'oily', at: new Date().toISOString() }), false);
    const r = await ok('strategy=quiz&limit=5', v);
    expect(r.items).toHaveLength(5);
    expect(r.items.every((i) => i.strategy === 'popular')).toBe(true);
    expect(r.fallbacks).toEqual(['popular']);
  });

  it('never recommends what is in the cart or bought, and caps each category', async () => {
    const bought = products.slice(0, 30).map((p) => p.id);
    const v = await visitor((p) => {
      p.commerce.purchased = bought.slice(0, 20);
      p.commerce.cart = bought.slice(20).map((productId) => ({ productId, quantity: 1 }));
      p.recent = bought.slice(0, 5).map((productId) => ({ productId, at: new Date().toISOString() }));
    });
    const r = await ok('strategy=home-for-you&limit=12', v);
    expect(r.items).toHaveLength(12);
    expect(r.items.filter((i) => bought.includes(i.product.id))).toEqual([]);
    const perCategory = new Map<string, number>();
    for (const i of r.items) perCategory.set(i.product.categories[0]!, (perCategory.get(i.product.categories[0]!) ?? 0) + 1);
    expect(Math.max(...perCategory.values())).toBeLessThanOrEqual(3); // maxPerCategory in the demo config
  });

  it('learns bought-together from accepted events (minimum support 2), counting a retried batch once', async () => {
    const [a, b, c] = products.filter((p) => p.inStock && p.id.endsWith('7')).map((p) => p.id);
    const at = new Date().toISOString();
    // Two shoppers' orders through the ingest, as the tracker would send them; then the same batch again (a retry).
    const consent = { context: { consent: { analytics: true, personalization: true } } };
    const body = JSON.stringify({ writeKey: 'demo', batch: [order(uid('s'), [a, b], at), order(uid('s'), [a, b, c], at)].map((e) => ({ ...e, ...consent })) });
    for (let i = 0; i < 2; i++) {
      const res = await app.fetch(new Request('http://localhost:8787/v1/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), env);
      expect(res.status, await res.text()).toBe(200);
    }
    await untilD1('the pair of a and b', async () => (await pairCount('bought', a!, b!)) >= 2);
    expect(await pairCount('bought', a!, b!)).toBe(2);
    // Pages read the statistics' KV copies, which the writer of the statistics keeps (until the log consumer
    // does it after each batch, the test does).
    await materialize([a!, b!, c!]);
    const r = await ok(`strategy=bought-together&item=${a}&limit=4`);
    expect(r.items[0]).toMatchObject({ product: { id: b }, strategy: 'bought-together', reason: `Often bought with ${products.find((p) => p.id === a)!.name}` });
    // c was bought with a only once: below support, so it comes (if at all) from the fallback.
    expect(r.items.find((i) => i.product.id === c)?.strategy ?? 'popular').toBe('popular');
  });
});

describe('/v1/catalog', () => {
  const admin = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
  const put = (body: unknown) => app.fetch(new Request('http://localhost:8787/v1/catalog', { method: 'PUT', headers: admin, body: JSON.stringify(body) }), env);

  it('refuses a broken catalog with each problem, and keeps serving the current one', async () => {
    const res = await put({ products: [{ ...products[0], price: '12,5' }, { ...products[1], currency: undefined }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { where: string; field: string; message: string }[] };
    expect(body.problems).toEqual([
      { where: 'products[0]', field: 'price', message: '"12,5" is not a number' },
      { where: 'products[1]', field: 'currency', message: 'is missing (expected string)' },
    ]);
    expect((await ok('strategy=popular&limit=3')).items).toHaveLength(3);
  });

  it('serves an imported catalog at once; a product removed from it never appears again', async () => {
    const removed = products[3]!.id;
    const res = await put({ products: products.filter((p) => p.id !== removed) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, site: 'demo', products: products.length - 1 });
    expect((await get(`strategy=viewed-together&item=${removed}`)).status).toBe(404);
    const all = await ok('strategy=popular&limit=50&category=' + products[3]!.categories[0]);
    expect(all.items.map((i) => i.product.id)).not.toContain(removed);
    const list = await app.fetch(new Request('http://localhost:8787/v1/catalog?site=demo'), env);
    expect(((await list.json()) as { products: unknown[] }).products).toHaveLength(products.length - 1);
  });
});
