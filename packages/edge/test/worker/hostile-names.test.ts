// Visitor-supplied names are data, never structure: event names, trait and property keys, question ids,
// product ids, categories, experiment and variant ids named after Object.prototype's members work like any
// other name, from the ingest to the profile, decide, recommendations, export and the reports — and the
// isolate's Object.prototype stays untouched.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { admin, freshVisitorId, ORIGIN, post, uid } from './helpers.js';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const CONSENT = { consent: { analytics: true, personalization: true } };
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
type Json = Record<string, any>;

/** Nothing was written onto the isolate's Object.prototype (the writer, decide and the tests share it). */
function prototypeUntouched() {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => !['constructor', '__defineGetter__', '__defineSetter__', 'hasOwnProperty', '__lookupGetter__', '__lookupSetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', '__proto__', 'toLocaleString'].includes(k))).toEqual([]);
  const o = {} as Json;
  expect([o.count, o.daily, o.firstAt, o.value, o.score, o.variant]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  expect(typeof Object.prototype.toString).toBe('function');
  expect(typeof Object.prototype.hasOwnProperty).toBe('function');
  expect(Object.prototype.constructor).toBe(Object);
}

const own = (o: Json, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);

describe('an event named "__proto__"', () => {
  it('is counted like any event, and the requests after it still answer 200', async () => {
    const anon = freshVisitorId();
    const first = await post('/v1/track', { writeKey: 'demo', anonymousId: anon, event: '__proto__', context: CONSENT });
    expect(first.status, await first.clone().text()).toBe(200);
    const next = await post('/v1/track', { writeKey: 'demo', anonymousId: anon, event: 'Signed Up', context: CONSENT });
    expect(next.status, await next.clone().text()).toBe(200);
    const other = await post('/v1/track', { writeKey: 'demo', anonymousId: freshVisitorId(), event: 'Signed Up', context: CONSENT });
    expect(other.status).toBe(200);
    const decided = await post('/v1/decide', { writeKey: 'demo', anonymousId: anon }, { 'user-agent': CHROME });
    expect(decided.status, await decided.clone().text()).toBe(200);
    expect((await SELF.fetch(`${ORIGIN}/`)).status).toBe(200);
    const p = (await (await admin(`/v1/profiles/a:${anon}`)).json()) as Json;
    expect(own(p.counters, '__proto__')).toMatchObject({ count: 1 });
    expect(own(p.counters, 'Signed Up')).toMatchObject({ count: 1 });
    prototypeUntouched();
  });
});

/** Every kind of name a visitor sends, each set to `n`, in one batch of a consenting visitor. */
function story(anon: string, n: string, at: string) {
  const ev = (event: string, properties: Json = {}) => ({ type: 'track', event, messageId: uid('m'), anonymousId: anon, timestamp: at, context: CONSENT, properties });
  return [
    ev(n, Object.fromEntries([[n, 'a value']])), // event name, and a property key
    ev(n),
    { type: 'identify', messageId: uid('m'), anonymousId: anon, timestamp: at, context: CONSENT, traits: Object.fromEntries([[n, 'trait value'], ['plan', 'pro']]) },
    { type: 'group', groupId: n, messageId: uid('m'), anonymousId: anon, timestamp: at, context: CONSENT, traits: Object.fromEntries([[n, 1]]) },
    ev('Question Answered', { quiz: n, question: n, answer: 'dry' }),
    ev('Experiment Viewed', { experiment_id: n, variant_id: n }),
    ev('Product List Viewed', { strategy: n, list_id: n }),
    ev('Product Clicked', { strategy: n, product_id: n }),
    ev('Product Viewed', { product_id: n, name: n, category: n, tags: [n] }),
    ev('Product Added', { product_id: n, category: n, price: 5 }),
    ev('Order Completed', { order_id: n, revenue: 7, products: [{ product_id: n, category: n, price: 7 }] }),
  ];
}

describe.each(HOSTILE)('the name %j', (n) => {
  it('works as an event name, trait key, property key, question id, product id, category, experiment and variant id, group id — end to end', async () => {
    const anon = freshVisitorId();
    const at = new Date(Date.now() - 60_000).toISOString(); // the story's one instant: inside retention, not in the future
    const res = await post('/v1/batch', { writeKey: 'demo', batch: story(anon, n, at) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as Json).rejected ?? []).toEqual([]);

    const p = (await (await admin(`/v1/profiles/a:${anon}`)).json()) as Json;
    expect(Object.keys(p.counters)).toContain(n);
    expect(own(p.counters, n)).toMatchObject({ count: 2, firstAt: at, lastAt: at, daily: { [at.slice(0, 10)]: 2 } });
    expect(own(p.traits, n)).toBe('trait value');
    expect(own(p.traitsAt, n)).toBe(at);
    expect(own(p.answers, n)).toEqual({ value: 'dry', quiz: n, at });
    expect(own(p.experiments, n)).toEqual({ variant: n, at });
    expect(own(own(p.groups, n), n)).toBe(1);
    expect(own(p.affinities.category, n.toLowerCase())).toMatchObject({ score: 9 }); // viewed 1 + added 3 + ordered 5
    expect(own(p.affinities.tag, n.toLowerCase())).toMatchObject({ score: 1 });
    expect(p.recent).toEqual([{ productId: n, name: n, category: n, at }]);
    expect(p.commerce.purchased).toEqual([n]);
    expect(p.commerce.orders).toBe(1);
    // The order took the product out of the cart.
    expect(p.commerce.cart).toEqual([]);

    const exp = (await (await admin(`/v1/profiles/a:${anon}/export`)).json()) as Json;
    expect(own(exp.profile.counters, n)).toMatchObject({ count: 2 });
    expect(own(exp.profile.traits, n)).toBe('trait value');
    const named = (exp.events as Json[]).filter((e) => e.event === n);
    expect(named).toHaveLength(2);
    expect(named.map((e) => own(e.properties ?? {}, n))).toContain('a value');
    const identify = (exp.events as Json[]).find((e) => e.type === 'identify')!;
    expect(own(identify.traits, n)).toBe('trait value');

    // The visitor's first-party cookie, as the edge sets it when they grant consent.
    const granted = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, ...CONSENT }, { origin: ORIGIN });
    expect(granted.status).toBe(200);
    const cookie = granted.headers.get('set-cookie')!.split(';')[0]!;
    const decided = await post('/v1/decide', { writeKey: 'demo', anonymousId: anon }, { 'user-agent': CHROME, cookie });
    expect(decided.status, await decided.clone().text()).toBe(200);
    expect((await SELF.fetch(`${ORIGIN}/`, { headers: { cookie, 'user-agent': CHROME } })).status).toBe(200);
    for (const strategy of ['for-you', 'recently-viewed', 'viewed-together', 'bought-together', 'quiz']) {
      const r = await SELF.fetch(`${ORIGIN}/v1/recommendations?writeKey=demo&anonymousId=${anon}&strategy=${strategy}`, { headers: { cookie } });
      expect(r.status, `${strategy}: ${await r.clone().text()}`).toBe(200);
    }

    const day = at.slice(0, 10);
    const period = `from=${day}&to=${day}`;
    for (const path of [
      `overview?${period}`,
      `funnel?${period}&steps=${encodeURIComponent(`${n},Order Completed`)}`,
      `segments?${period}`,
      `quality?${period}`,
      `recommendations?${period}`,
      `before-after?date=${day}&metric=revenue&days=7`,
      `experiments?${period}`,
      `segments/discover?${period}`,
      `triggers?${period}`,
    ]) {
      const r = await admin(`/v1/reports/${path}`);
      expect(r.status, `${path}: ${await r.clone().text()}`).toBe(200);
    }
    const funnel = (await (await admin(`/v1/reports/funnel?${period}&steps=${encodeURIComponent(`${n},Order Completed`)}&source=raw`)).json()) as Json;
    expect(funnel.steps[0]).toMatchObject({ step: n });
    expect(funnel.steps[0].visitors).toBeGreaterThanOrEqual(1);
    const recs = (await (await admin(`/v1/reports/recommendations?${period}&source=raw`)).json()) as Json;
    expect((recs.strategies as Json[]).find((s) => s.strategy === n)).toMatchObject({ views: expect.any(Number), clicks: expect.any(Number) });

    prototypeUntouched();
  });
});

describe.each(HOSTILE)('the name %j in a request', (n) => {
  it('is an unknown strategy, product, category or slot, answered 4xx or named, never a 5xx', async () => {
    const anon = freshVisitorId();
    const recs = (q: string) => SELF.fetch(`${ORIGIN}/v1/recommendations?writeKey=demo&anonymousId=${anon}&${q}=${encodeURIComponent(n)}`);
    const strategy = await recs('strategy');
    expect(strategy.status).toBe(400);
    expect(((await strategy.json()) as Json).error).toMatch(/unknown strategy/);
    expect((await recs('item')).status).toBe(404);
    expect((await recs('category')).status).toBe(400);
    const decided = await post('/v1/decide', { writeKey: 'demo', anonymousId: anon, slots: [n, 'hero'] }, { 'user-agent': CHROME });
    expect(decided.status).toBe(200);
    const body = (await decided.json()) as Json;
    expect(body.unknownSlots).toEqual([n]);
    expect(Object.keys(body.slots)).toEqual(['hero']);
    prototypeUntouched();
  });
});

describe('two profiles that both counted "constructor"', () => {
  it('add their counts up when a login merges them', async () => {
    const [a, b, user] = [freshVisitorId(), freshVisitorId(), uid('user')];
    const at = new Date(Date.now() - 60_000).toISOString();
    for (const anon of [a, b]) {
      const r = await post('/v1/batch', { writeKey: 'demo', batch: HOSTILE.map((event) => ({ type: 'track', event, messageId: uid('m'), anonymousId: anon, timestamp: at, context: CONSENT })) });
      expect(r.status).toBe(200);
    }
    // Server-side identifies (trusted) link both browsers to the user.
    for (const anon of [a, b]) {
      const r = await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', messageId: uid('m'), anonymousId: anon, userId: user, timestamp: at }] });
      expect(r.status, await r.clone().text()).toBe(200);
    }
    const p = (await (await admin(`/v1/profiles/${user}`)).json()) as Json;
    expect(p.ids.anonymousIds.sort()).toEqual([a, b].sort());
    for (const n of HOSTILE) expect(own(p.counters, n), n).toMatchObject({ count: 2, daily: { [at.slice(0, 10)]: 2 } });
    prototypeUntouched();
  });
});
