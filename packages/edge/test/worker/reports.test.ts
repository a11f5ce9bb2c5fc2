// The reports a marketer reads on /admin, checked to the unit against a small story of known events posted
// through /v1/batch. The story sits in its own week in the past, so no other test's events fall in it.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, ORIGIN, post, track, uid } from './helpers.js';
import { SELF } from 'cloudflare:test';

const DAY = 86_400_000;
// A week 150–350 days back (inside the demo's 395-day retention), different on each run.
const D = Date.parse(new Date(Date.now() - (150 + Math.floor(Math.random() * 200)) * DAY).toISOString().slice(0, 10));
const day = (n: number) => new Date(D + n * DAY).toISOString().slice(0, 10);
const at = (n: number, hh: string) => `${day(n)}T${hh}.000Z`;
const period = `from=${day(0)}&to=${day(6)}`;

const [A, B, C, E, F, G] = ['a', 'b', 'c', 'e', 'f', 'g'].map((p) => uid(`rep-${p}`));
const t = (who: string, event: string, time: string, properties: Record<string, unknown> = {}) => track(who!, event, { timestamp: time, properties });
const identify = (who: string, time: string, traits: Record<string, unknown>) => ({ type: 'identify', messageId: uid('m'), anonymousId: who, timestamp: time, traits });
const nps = (who: string, time: string, answer: unknown) => t(who, 'Question Answered', time, { quiz: 'nps', question: 'nps', answer });

const story = [
  // The week before: E and F buy; only F comes back.
  t(E!, 'Order Completed', at(-3, '12:00:00'), { order_id: 'e1', revenue: 50, products: [{ product_id: 'p5' }] }),
  t(F!, 'Order Completed', at(-2, '12:00:00'), { order_id: 'f1', revenue: 30, products: [{ product_id: 'p6' }] }),
  // A goes through the whole funnel, clicking two recommendations before buying both products.
  t(A!, 'Product List Viewed', at(0, '09:59:00'), { strategy: 'for-you', list_id: 'home' }),
  t(A!, 'Products Searched', at(0, '10:00:00'), { query: 'serum' }),
  t(A!, 'Product Clicked', at(0, '10:00:10'), { strategy: 'for-you', product_id: 'p1' }),
  t(A!, 'Product Clicked', at(0, '10:00:30'), { strategy: 'trending', product_id: 'p2' }),
  t(A!, 'Product Viewed', at(0, '10:01:00'), { product_id: 'p1' }),
  t(A!, 'Product Added', at(0, '10:02:00'), { product_id: 'p1' }),
  t(A!, 'Checkout Started', at(0, '10:03:00')),
  t(A!, 'Order Completed', at(0, '10:04:00'), { order_id: 'a1', revenue: 100, products: [{ product_id: 'p1' }, { product_id: 'p2' }] }),
  identify(A!, at(0, '10:05:00'), { email: 'not-an-email' }),
  nps(A!, at(0, '10:06:00'), 10),
  // B views before searching (so never reaches "viewed after searching"), clicks but buys nothing.
  t(B!, 'Product Viewed', at(1, '09:00:00'), { product_id: 'p3' }),
  t(B!, 'Products Searched', at(1, '09:05:00'), { query: 'toner' }),
  t(B!, 'Product Clicked', at(1, '09:06:00'), { strategy: 'for-you', product_id: 'p1' }),
  identify(B!, at(1, '09:07:00'), { email: 'b@example.com' }),
  nps(B!, at(1, '09:08:00'), 3),
  nps(B!, at(2, '09:08:00'), '9'), // the latest answer counts
  // C stops before checkout.
  t(C!, 'Product List Viewed', at(2, '11:00:00'), { strategy: 'for-you', list_id: 'pdp' }),
  t(C!, 'Product List Viewed', at(2, '11:00:01'), { strategy: 'similar', list_id: 'pdp' }),
  t(C!, 'Products Searched', at(2, '11:01:00'), { query: 'spf' }),
  t(C!, 'Product Clicked', at(2, '11:01:30'), { strategy: 'similar', product_id: 'p9' }),
  t(C!, 'Product Viewed', at(2, '11:02:00'), { product_id: 'p9' }),
  t(C!, 'Product Added', at(2, '11:03:00'), { product_id: 'p9' }),
  identify(C!, at(2, '11:04:00'), { phone: '12345' }),
  nps(C!, at(2, '11:05:00'), 7),
  // F buys again (a repeat buyer), an order with a total but no product list.
  t(F!, 'Order Completed', at(3, '15:00:00'), { order_id: 'f2', total: 60 }),
  // G only answers the survey.
  nps(G!, at(4, '08:00:00'), 0),
];

type Json = Record<string, any>;
const get = async (path: string) => {
  const res = await admin(path);
  return { status: res.status, body: (await res.json()) as Json };
};

beforeAll(async () => {
  const res = await post('/v1/batch', { writeKey: 'demo', batch: story });
  expect(res.status).toBe(200);
  expect(((await res.json()) as Json).rejected ?? []).toEqual([]);
});

describe('overview', () => {
  it('counts the KPIs of the period and of the week before', async () => {
    const { status, body } = await get(`/v1/reports/overview?${period}`);
    expect(status).toBe(200);
    expect(body.previous).toEqual({ from: day(-7), to: day(-1) });
    const value = Object.fromEntries(Object.entries(body.kpis as Json).map(([k, v]) => [k, v.value]));
    expect(value).toEqual({ visitors: 5, conversion_rate: 0.4, orders: 2, revenue: 160, aov: 80, repeat_purchase_rate: 0.5, churn: 0.5, nps: 25 });
    const previous = Object.fromEntries(Object.entries(body.kpis as Json).map(([k, v]) => [k, v.previous]));
    expect(previous).toEqual({ visitors: 2, conversion_rate: 1, orders: 2, revenue: 80, aov: 40, repeat_purchase_rate: 0, churn: null, nps: null });
    expect(body.kpis.revenue).toMatchObject({ change: 80, relative: 1, better: 'up' });
    expect(body.kpis.churn.better).toBe('down');
  });

  it('has one row a day for the charts, zeros included', async () => {
    const { body } = await get(`/v1/reports/overview?${period}`);
    expect(body.series.map((r: Json) => r.day)).toEqual([0, 1, 2, 3, 4, 5, 6].map(day));
    expect(body.series.map((r: Json) => r.visitors)).toEqual([1, 1, 2, 1, 1, 0, 0]);
    expect(body.series.map((r: Json) => r.revenue)).toEqual([100, 0, 0, 60, 0, 0, 0]);
  });
});

describe('funnel', () => {
  it('counts visitors who did the default steps in order, with the drop-off per step', async () => {
    const { status, body } = await get(`/v1/reports/funnel?${period}`);
    expect(status).toBe(200);
    expect(body.steps.map((s: Json) => [s.step, s.visitors, s.dropped])).toEqual([
      ['Products Searched', 3, 0],
      ['Product Viewed', 2, 1],
      ['Product Added', 2, 0],
      ['Checkout Started', 1, 1],
      ['Order Completed', 1, 0],
    ]);
    expect(body.steps[1].dropOff).toBeCloseTo(1 / 3);
    expect(body.steps[4].conversion).toBeCloseTo(1 / 3);
  });

  it('takes its own steps', async () => {
    const { body } = await get(`/v1/reports/funnel?${period}&steps=${encodeURIComponent('Product Viewed,Products Searched')}`);
    expect(body.steps.map((s: Json) => s.visitors)).toEqual([3, 1]); // only B searched after viewing
  });
});

describe('recommendations', () => {
  it('counts views, clicks, CTR and last-click attributed orders per strategy', async () => {
    const { status, body } = await get(`/v1/reports/recommendations?${period}`);
    expect(status).toBe(200);
    const rows = Object.fromEntries(body.strategies.map((s: Json) => [s.strategy, [s.views, s.clicks, s.ctr, s.orders, s.revenue]]));
    expect(rows).toEqual({
      'for-you': [2, 2, 1, 0, 0],
      similar: [1, 1, 1, 0, 0],
      trending: [0, 1, null, 1, 100], // A's last click before the order
    });
  });
});

describe('quality', () => {
  it('lists the flags ingest raised on traits and orders the reports cannot use', async () => {
    const { body } = await get(`/v1/reports/quality?${period}`);
    expect(body.checked).toEqual({ identifies: 3, orders: 2 });
    expect(body.flags.map((f: Json) => [f.issue, f.path, f.events, f.visitors]).sort()).toEqual([
      ['invalid email', 'traits.email', 1, 1],
      ['order without products', 'properties.products', 1, 1],
      ['phone without country', 'traits.phone', 1, 1],
    ]);
  });
});

describe('before/after', () => {
  it('compares a metric over the days before and after a date', async () => {
    const { status, body } = await get(`/v1/reports/before-after?date=${day(0)}&metric=revenue&days=7`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'revenue', before: { from: day(-7), to: day(-1), value: 80 }, after: { from: day(0), to: day(6), value: 160 }, change: 80, relative: 1 });
  });
});

describe('segments', () => {
  it('counts members as entries minus exits, today', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dry = async () => ((await get(`/v1/reports/segments?from=${today}&to=${today}&segment=dry-skin`)).body.segments as Json[])[0]!;
    const was = await dry();
    const consent = { consent: { analytics: true, personalization: true } };
    const skin = (who: string, value: string) => track(who, 'Question Answered', { properties: { quiz: 'skin', question: 'skin-type', answer: value }, context: consent });
    const [x, y] = [uid('seg'), uid('seg')];
    // Both say dry skin (two entries); then y corrects it to oily (an exit).
    expect((await post('/v1/batch', { writeKey: 'demo', batch: [skin(x, 'dry'), skin(y, 'dry')] })).status).toBe(200);
    expect((await post('/v1/batch', { writeKey: 'demo', batch: [skin(y, 'oily')] })).status).toBe(200);
    const now = await dry();
    expect(now.segment).toBe('dry-skin');
    expect([now.size - was.size, now.entered - was.entered, now.exited - was.exited]).toEqual([1, 2, 1]);
    expect(now.series.at(-1).size).toBe(now.size);
  });
});

describe('access and bad input', () => {
  it('refuses without the admin token (401) and with a wrong one (401)', async () => {
    expect((await SELF.fetch(`${ORIGIN}/v1/reports/overview`)).status).toBe(401);
    const wrong = await admin('/v1/reports/overview', 'GET', 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Json).error).toMatch(/wrong admin token/);
  });

  it.each([
    ['/v1/reports/before-after?date=2026-01-01&metric=revenu', /unknown metric "revenu" — did you mean "revenue"\?/],
    ['/v1/reports/overview?period=fortnight', /unknown period "fortnight"/],
    ['/v1/reports/overview?from=2026-02-30', /from: expected a day as YYYY-MM-DD/],
    ['/v1/reports/overview?from=2026-03-02&to=2026-03-01', /from \(2026-03-02\) is after to/],
    ['/v1/reports/funnel?steps=Product%20Viewed,Prodcut%20Added', /unknown step "Prodcut Added".*did you mean "Product Added"/],
    ['/v1/reports/segments?segment=dry-skn', /unknown segment "dry-skn" — did you mean "dry-skin"\?/],
    ['/v1/reports/overview?site=shop', /unknown site "shop"/],
    ['/v1/reports/recommendations?window=0', /window: expected a whole number from 1 to 90/],
    ['/v1/reports/overview?source=cache', /unknown source "cache"/],
    ['/v1/reports/triggers?trigger=cart-remindr', /unknown trigger "cart-remindr" — did you mean "cart-reminder"\?/],
    ['/v1/reports/triggers?outcome=lost', /unknown outcome "lost"/],
    ['/v1/reports/triggers?limit=0', /limit: expected a whole number from 1 to 500/],
  ])('%s → 400 naming it', async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });
});
