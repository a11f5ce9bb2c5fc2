// Issue 19, items 1 and 3: what a write may link. Driven as an attacker would — plain HTTP with the public
// write key `demo`, their own anonymous id and cookie, knowing a victim's user id or an imported customer's
// email. A page's user id counts only with its proof (userHash from the shop's backend); aliases and email
// links only with a secret server key (`demo-server` in local development).
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { demoRoutes } from '../../../../demo-site/backend/worker.js';
import { atTime } from '../../../../test/clock.js';
import type { RecommendationsResponse } from '../../src/contract/catalog.js';
import type { DecideResponse } from '../../src/contract/decide.js';
import { DEV_IDENTITY_SECRET, userHash } from '../../src/http/identity-proof.js';
import { createApp } from '../../src/index.js';
import { freshVisitorId, logSettled, ORIGIN, post, profileOf, uid } from './helpers.js';

// A day outside the demo's seasonal promotions, so the variants below do not depend on today.
const AT = '2026-06-15T10:00:00Z';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const GRANTED = { analytics: true, personalization: true };
const [VIEWED, ADDED, LATER] = [catalog.products[3]!.id, catalog.products[5]!.id, catalog.products[7]!.id];
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
const proofOf = (user: string) => userHash(DEV_IDENTITY_SECRET, user); // what the shop's backend computes

const ev = (type: string, fields: Record<string, unknown>) => ({ type, messageId: uid('m'), timestamp: minutesAgo(1), ...fields });
const browser = (batch: unknown[]) => post('/v1/batch', { writeKey: 'demo', batch }, { origin: ORIGIN });
const server = (batch: unknown[]) => post('/v1/batch', { writeKey: 'demo-server', batch });

/** A browser whose visitor granted consent: its anonymous id and the cookie the edge signed for it. */
async function visitor() {
  const anon = freshVisitorId();
  const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: GRANTED }, { origin: ORIGIN });
  expect(res.status).toBe(200);
  return { anon, cookie: cookieOf(res) };
}

/** A signed-in shopper, verified, who answered the quiz (dry skin), viewed a product and has it in the cart. */
async function victim() {
  const user = uid('victim');
  const b = await visitor();
  const res = await browser([
    ev('identify', { anonymousId: b.anon, userId: user, userHash: await proofOf(user), traits: { firstName: 'Vera' } }),
    ev('track', { anonymousId: b.anon, event: 'Question Answered', properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' } }),
    ev('track', { anonymousId: b.anon, event: 'Product Viewed', properties: { product_id: VIEWED } }),
  ]);
  expect(res.status, await res.text()).toBe(200);
  return { user, ...b };
}

const decide = async (cookie: string) => {
  const res = await post('/v1/decide', { writeKey: 'demo', slots: ['hero'] }, { 'user-agent': CHROME, cookie });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { d: JSON.parse(text) as DecideResponse, text };
};
const recentlyViewed = async (cookie: string) => {
  const res = await SELF.fetch(`${ORIGIN}/v1/recommendations?writeKey=demo&strategy=recently-viewed`, { headers: { cookie } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as RecommendationsResponse).items.filter((i) => i.strategy === 'recently-viewed').map((i) => i.product.id);
};
const loggedBodies = async (anon: string) =>
  (await logSettled(), await env.EVENTS.prepare("SELECT body FROM events WHERE site = 'demo' AND anonymous_id = ?").bind(anon).all<{ body: string }>()).results.map((r) => r.body);

/** What `attune import` sends with the server key: a customer known by id, with email, and an order. */
async function importedCustomer() {
  const customerId = uid('C');
  const email = `${uid('grace')}@example.com`;
  const res = await server([
    ev('identify', { userId: customerId, traits: { email, firstName: 'Grace', phone: '+4915112345678' } }),
    ev('track', { userId: customerId, event: 'Order Completed', timestamp: minutesAgo(60 * 24 * 30), properties: { order_id: uid('o'), total: 42, revenue: 42, currency: 'EUR', products: [{ product_id: 'p1', quantity: 1, price: 42 }] } }),
  ]);
  expect(res.status, await res.text()).toBe(200);
  return { customerId, email };
}

describe("a page's user id without its proof", () => {
  it("(a) changes nothing of the victim's, links nothing, and the attacker's cookie then reads nothing of theirs", async () => {
    await atTime(AT, async () => {
      const v = await victim();
      const me = await visitor();
      for (const userHash of [undefined, '0'.repeat(64), await proofOf(`${v.user}-other`)]) {
        const res = await browser([
          ev('identify', { anonymousId: me.anon, userId: v.user, ...(userHash ? { userHash } : {}), traits: { firstName: 'Mallory', birthday: '1990-01-01' } }),
          ev('track', { anonymousId: me.anon, userId: v.user, event: 'Product Added', properties: { product_id: ADDED, quantity: 1, price: 10 } }),
        ]);
        expect(res.status).toBe(200); // kept, as the attacker's own claims
      }
      const theirs = await profileOf(`u:${v.user}`);
      expect(theirs.traits.firstName).toBe('Vera');
      expect(theirs.traits.birthday).toBeUndefined();
      expect(JSON.stringify(theirs.commerce)).not.toContain(ADDED);
      expect(theirs.ids.anonymousIds).not.toContain(me.anon);

      const mine = await profileOf(me.anon);
      expect(mine.id).toBe(`a:${me.anon}`);
      expect(mine.ids.userId).toBeNull();
      expect(mine.traits.firstName).toBe('Mallory'); // the claim stays on the claimant's own profile
      expect(mine.quality.flags.some((f) => f.path === 'userId')).toBe(true);

      const { d, text } = await decide(me.cookie);
      expect(d.profileId).toBe(`a:${me.anon}`);
      expect(d.slots.hero!.variant).not.toBe('hero-dry');
      expect(text).not.toContain(v.user);
      expect(await recentlyViewed(me.cookie)).not.toContain(VIEWED);
    });
  });

  it('is refused, naming the rule, when the event has no anonymous id to stay on; a page cannot alias', async () => {
    const me = await visitor();
    const res = await browser([ev('identify', { userId: uid('victim'), traits: {} }), ev('alias', { anonymousId: me.anon, userId: uid('u'), previousId: uid('victim') })]);
    expect(res.status).toBe(200);
    const { rejected } = (await res.json()) as { rejected: { index: number; path: string; message: string }[] };
    expect(rejected.map((r) => [r.index, r.path])).toEqual([
      [0, 'batch[0].userId'],
      [1, 'batch[1].previousId'],
    ]);
    expect(rejected[0]!.message).toMatch(/not verified.*userHash/);
    expect(rejected[1]!.message).toMatch(/server key/);
    const single = await post('/v1/alias', { writeKey: 'demo', anonymousId: me.anon, userId: uid('u'), previousId: uid('victim') }, { origin: ORIGIN });
    expect(single.status).toBe(400);
  });

  it('(f) is not trusted for a client-sent trust flag', async () => {
    const v = await victim();
    const me = await visitor();
    for (const trust of ['server', 'proof', true])
      expect((await browser([ev('identify', { anonymousId: me.anon, userId: v.user, trust, trusted: true, traits: { firstName: 'Mallory' } })])).status).toBe(200);
    expect((await profileOf(`u:${v.user}`)).traits.firstName).toBe('Vera');
    expect((await profileOf(me.anon)).id).toBe(`a:${me.anon}`);
    expect((await loggedBodies(me.anon)).join()).not.toMatch(/"trust":"(server|proof)"|victim/);
  });
});

describe('email links', () => {
  it("(b) never come from a page, even with the page's own verified user id: the imported customer stays whole and apart", async () => {
    const c = await importedCustomer();
    const me = uid('me');
    const b = await visitor();
    const res = await browser([ev('identify', { anonymousId: b.anon, userId: me, userHash: await proofOf(me), traits: { email: c.email } })]);
    expect(res.status).toBe(200);

    const mine = await profileOf(me);
    expect(mine.id).toBe(`u:${me}`);
    expect(mine.commerce.orders ?? 0).toBe(0);
    expect(mine.traits.firstName).toBeUndefined();
    const theirs = await profileOf(c.customerId);
    expect(theirs.id).toBe(`u:${c.customerId}`);
    expect(theirs.ids.anonymousIds).not.toContain(b.anon);
    expect(theirs.traits).toMatchObject({ firstName: 'Grace', phone: '+4915112345678' });
    expect(theirs.commerce).toMatchObject({ orders: 1, revenue: 42 });
  });

  it('(c) come from the server key: the customer who identifies with their email through the shop backend becomes one profile', async () => {
    const c = await importedCustomer();
    const web = uid('web');
    const anon = uid('anon');
    const res = await server([ev('identify', { userId: web, anonymousId: anon, traits: { email: ` ${c.email.toUpperCase()} ` } })]);
    expect(res.status).toBe(200);
    const p = await profileOf(web);
    expect((await profileOf(c.customerId)).id).toBe(p.id);
    expect((await profileOf(anon)).id).toBe(p.id);
    expect(p.traits).toMatchObject({ firstName: 'Grace' });
    expect(p.commerce).toMatchObject({ orders: 1, revenue: 42 });
  });
});

describe('server keys', () => {
  const app = createApp(config, catalog).app;
  const call = async (key: string, vars: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const body = JSON.stringify({ writeKey: key, batch: [ev('track', { userId: uid('u'), event: 'Server Ping' })] });
    const res = await app.fetch(new Request(`${ORIGIN}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, text: await res.text() };
  };

  it('(d) demo-server is the demo server key only in development with no key set; deployed, only the secret the site names', async () => {
    expect((await call('demo-server', { ATTUNE_ENV: 'development' })).status).toBe(200);
    expect((await call('demo-server', { ATTUNE_ENV: 'production' })).status).toBe(401);
    const secret = `sk-${uid()}`;
    for (const envName of ['production', 'development']) {
      expect((await call(secret, { ATTUNE_ENV: envName, ATTUNE_SERVER_KEY: secret })).status, envName).toBe(200);
      expect((await call('demo-server', { ATTUNE_ENV: envName, ATTUNE_SERVER_KEY: secret })).status, envName).toBe(401);
      expect((await call(`${secret}x`, { ATTUNE_ENV: envName, ATTUNE_SERVER_KEY: secret })).status, envName).toBe(401);
    }
  });

  it('(e) is refused (403) from a web page, the origin allowed or not: a server key in a browser is a leak', async () => {
    for (const origin of [ORIGIN, 'https://evil.example']) {
      const r = await call('demo-server', { ATTUNE_ENV: 'development' }, { origin });
      expect(r.status, origin).toBe(403);
      expect(r.text).toMatch(/server write key .*secret/);
    }
  });
});

describe('a verified page (the site backend proved the user id)', () => {
  it('(g) links the two browsers of one customer: the same personalization in both, and the proof is never stored', async () => {
    {
      const user = uid('shopper');
      const proof = await proofOf(user);
      const laptop = await visitor();
      const phone = await visitor();
      expect((await browser([ev('identify', { anonymousId: laptop.anon, userId: user, userHash: proof, traits: {} }), ev('track', { anonymousId: laptop.anon, userId: user, event: 'Product Viewed', properties: { product_id: VIEWED } })])).status).toBe(200);
      expect((await browser([ev('identify', { anonymousId: phone.anon, userId: user, userHash: proof, traits: {} })])).status).toBe(200);
      // Later pages carry the remembered user id without the proof: they land on the same profile all the same.
      expect((await browser([ev('track', { anonymousId: phone.anon, userId: user, event: 'Product Viewed', properties: { product_id: LATER } })])).status).toBe(200);

      expect((await profileOf(laptop.anon)).id).toBe(`u:${user}`);
      expect((await profileOf(phone.anon)).id).toBe(`u:${user}`);
      for (const b of [laptop, phone]) {
        expect(await recentlyViewed(b.cookie), b.anon).toEqual(expect.arrayContaining([VIEWED, LATER]));
      }
      const logged = [...(await loggedBodies(laptop.anon)), ...(await loggedBodies(phone.anon))].join();
      expect(logged).toContain('Product Viewed');
      expect(logged).not.toContain(proof);
    }
  });
});

describe("the demo store's sign-in (its stand-in for a shop backend)", () => {
  // The demo store's Worker mounts it (demo-site/backend/worker.ts); the product's entry does not.
  const app = createApp(config, catalog, { extraRoutes: demoRoutes }).app;
  const signIn = async (vars: Record<string, unknown>) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${ORIGIN}/demo/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ' Ada@Example.com ' }) }), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };

  it('proves the customer id of the email in development, and does not exist deployed', async () => {
    const res = await signIn({ ATTUNE_ENV: 'development' });
    expect(res.status).toBe(200);
    const { userId, userHash: proof } = (await res.json()) as { userId: string; userHash: string };
    expect(userId).toMatch(/^cust-[0-9a-f]{8}$/);
    expect(proof).toBe(await proofOf(userId));
    expect((await signIn({ ATTUNE_ENV: 'production', ATTUNE_IDENTITY_SECRET: 'deployed-secret' })).status).toBe(404);
  });

  it('is not part of the product Worker, even in development', async () => {
    const res = await SELF.fetch(`${ORIGIN}/demo/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com' }) });
    await res.arrayBuffer();
    expect(res.status).toBe(404);
  });
});
