// Issue 19 ("Trust at the edge"), done-when: every attack of the issue fails against the real local stack
// (`wrangler dev`, as `npm start` runs it). Each attack is replayed as an attacker would: plain `fetch` over HTTP
// with the public write key `demo`, no cookie or the attacker's own (from `POST /v1/consent`, as a browser gets
// it), knowing only the victim's user id or an imported customer's email. What is asserted is what the attacker
// observes, plus what the victim keeps (read with the development admin token, which an attacker does not hold).
// The victims are set up as a shop would: a signed-in customer whose page proves the user id (`/demo/sign-in` is
// the demo's stand-in for the shop backend that computes userHash), the shop backend's own events with the secret
// server key (`demo-server`, local development only), and a customer imported by email with the server key.
// The finer checks run in workerd: test/worker/trust-reads.test.ts, trust-ingest.test.ts, rate-limits.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { bucket } from '../../src/experiments/hash.js';
import { BUDGETS } from '../../src/http/rate-limit.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

type Dev = { url: string; stop: () => Promise<void> };
type Item = { product: { id: string; name: string }; strategy: string; reason: string };
type Decided = { profileId: string | null; holdout: boolean | null; slots: Record<string, { variant: string; reason: { kind: string; segments?: string[] } }> };
type Profile = { id: string; consent: Record<string, unknown> | null; traits: Record<string, unknown>; ids: { userId: string | null; anonymousIds: string[]; merged: string[] }; segments: Record<string, unknown>; commerce: Record<string, unknown> };

const PAGE_ORIGIN = config.sites.demo.allowedOrigins[0]!; // what a browser on the shop sends as Origin
const GRANTED = { analytics: true, personalization: true };
const DENIED = { analytics: false, personalization: false };
const DRY_HERO = 'Deep hydration for dry skin'; // the hero the dry-skin segment sees (no date in its rule)
const PERSONAL = 'You looked at this recently'; // the reason a recently viewed card carries
const [P1, P2, P3, ADDED] = [catalog.products[3]!, catalog.products[9]!, catalog.products[14]!, catalog.products[5]!];
const VIEWED = [P1.id, P2.id, P3.id];

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
let n = 0;
const uid = (p: string) => `${p}-${run}-${(n++).toString(36)}`;
/** A browser's random anonymous id outside the demo's holdout (whose visitors see defaults, proving nothing). */
function anonId(): string {
  for (;;) {
    const id = uid('anon');
    if (bucket(`holdout:${config.holdout.salt}`, id) >= config.holdout.percent / 100) return id;
  }
}
const minuteAgo = () => new Date(Date.now() - 60_000).toISOString();
const ev = (type: string, fields: Record<string, unknown>) => ({ type, messageId: uid('m'), timestamp: minuteAgo(), ...fields });
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
const heroOf = (html: string) => /<attune-slot name="hero"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html)?.[1] ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `ok` holds (the profile writer answers a batch before KV and D1 have caught up everywhere). */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms} ms; last ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(200);
  }
}

let dev: Dev | undefined;
const url = (path: string) => `${dev!.url}${path}`;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url(path), { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify(body) });
/** What the tracker sends from the shop's page: the public key, the page's Origin, the visitor's own cookie if any. */
const browser = (batch: unknown[], cookie?: string) => post('/v1/batch', { writeKey: 'demo', batch }, { origin: PAGE_ORIGIN, ...(cookie ? { cookie } : {}) });
/** What the shop's backend sends (`@segment/analytics-node` style): the secret server key as the Basic user, no Origin. */
const server = (batch: unknown[]) => post('/v1/batch', { batch }, { authorization: `Basic ${btoa('demo-server:')}` });
/** What only the site owner can read: not available to the attacker, used to see what the victim kept. */
const admin = (path: string) => fetch(url(path), { headers: { authorization: 'Bearer dev-admin' } });
async function profileOf(id: string): Promise<Profile> {
  const res = await admin(`/v1/profiles/${encodeURIComponent(id)}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`profile ${id}: ${res.status} ${text}`);
  return JSON.parse(text) as Profile;
}
async function exportedMessageIds(id: string): Promise<string[]> {
  const res = await admin(`/v1/profiles/${encodeURIComponent(id)}/export`);
  if (res.status !== 200) return [];
  return ((await res.json()) as { events: { messageId: string }[] }).events.map((e) => e.messageId);
}

/** A browser granting consent, as the consent banner does: its anonymous id and the cookie the edge set. */
async function consentBrowser(consent = GRANTED, extra: Record<string, unknown> = {}) {
  const anon = anonId();
  const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent, ...extra }, { origin: PAGE_ORIGIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return { anon, cookie: cookieOf(res) };
}
/** The demo store's sign-in: the shop backend's proof of the customer id (development only). */
async function signIn(email: string): Promise<{ userId: string; userHash: string }> {
  const res = await post('/demo/sign-in', { email }, { origin: PAGE_ORIGIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { userId: string; userHash: string };
}

const recs = async (query: string, cookie?: string) => {
  const res = await fetch(url(`/v1/recommendations?writeKey=demo&strategy=recently-viewed&${query}`), { headers: cookie ? { cookie } : {} });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { items: (JSON.parse(text) as { items: Item[] }).items, text };
};
const personalIds = (items: Item[]) => items.filter((i) => i.strategy === 'recently-viewed').map((i) => i.product.id);
const decide = async (body: Record<string, unknown>, cookie?: string) => {
  const res = await post('/v1/decide', { writeKey: 'demo', ...body }, cookie ? { cookie } : {});
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { d: JSON.parse(text) as Decided, text };
};
/** The decisions without the ids the request itself named: what one answer reveals beyond another. */
const decisions = (d: Decided) => Object.fromEntries(Object.entries(d.slots).map(([k, s]) => [k, { variant: s.variant, reason: s.reason }]));
const page = async (path: string, cookie: string) => {
  const res = await fetch(url(path), { headers: { cookie } });
  const text = await res.text();
  expect(res.status, path).toBe(200);
  return text;
};
/** The rendered "Recently viewed" row of the account page: each card's product and the reason it shows. */
const recentlyViewedRow = (html: string) => {
  const row = /<attune-recs[^>]*strategy="recently-viewed"[^>]*>([\s\S]*?)<\/attune-recs>/.exec(html)?.[1] ?? '';
  return [...row.matchAll(/data-id="([^"]+)"[\s\S]*?attune-recs__reason">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`);
};
/**
 * The row as the attacker's cookie renders it, and as a browser nobody knows renders it at the same moment. The
 * row falls back to trending products, and on a fresh stack the victims are the only shoppers, so their products
 * can show there as "Trending now" to anyone: an aggregate, not their profile. What would be theirs is any
 * difference from the stranger's row, or a card "You looked at this recently".
 */
async function rowVsStranger(cookie: string) {
  const stranger = await consentBrowser();
  return { mine: recentlyViewedRow(await page('/account.html', cookie)), strangers: recentlyViewedRow(await page('/account.html', stranger.cookie)) };
}

// The people in the story.
let victim: { email: string; userId: string; userHash: string; anon: string; cookie: string };
let refuser: { userId: string; userHash: string; anon: string }; // a customer who refused personalization
let customer: { customerId: string; email: string }; // imported by the shop with the server key
let victimSegments: string[] = [];
let victimMessageIds: string[] = [];

describe('issue 19 attacks against the local stack (wrangler dev), with the public key only', () => {
  beforeAll(async () => {
    const t0 = Date.now();
    dev = await startDev({ vars: { ATTUNE_ENV: 'development', ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' } });
    console.log(`trust-attacks: stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The victim signs in on the shop; the page identifies with the backend's proof, answers the quiz, browses.
    const email = `${uid('vera')}@example.com`;
    const proof = await signIn(email);
    // (Consent as the tracker syncs it: for the anonymous id only; the identify below carries the proof.)
    const b = await consentBrowser(GRANTED);
    victim = { email, ...proof, ...b };
    const page = await browser(
      [
        ev('identify', { anonymousId: b.anon, userId: proof.userId, userHash: proof.userHash, traits: { firstName: 'Vera' } }),
        ev('track', { anonymousId: b.anon, userId: proof.userId, event: 'Question Answered', properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' } }),
        ev('track', { anonymousId: b.anon, userId: proof.userId, event: 'Product Viewed', properties: { product_id: P1.id } }),
      ],
      b.cookie,
    );
    expect(page.status, await page.text()).toBe(200);
    // Their views in the shop's app, sent by the shop's backend with the server key (Basic user, no Origin).
    const backend = await server([ev('track', { userId: proof.userId, event: 'Product Viewed', properties: { product_id: P2.id } })]);
    expect(backend.status, await backend.text()).toBe(200);
    // …and with the server key in the body, as `attune import` sends it.
    const body = await post('/v1/batch', { writeKey: 'demo-server', batch: [ev('track', { userId: proof.userId, event: 'Product Viewed', properties: { product_id: P3.id } })] });
    expect(body.status, await body.text()).toBe(200);

    // A second customer, signed in, who answered the quiz but refused personalization.
    const r = await signIn(`${uid('rita')}@example.com`);
    const rb = await consentBrowser({ analytics: true, personalization: false });
    refuser = { ...r, anon: rb.anon };
    expect((await browser([ev('identify', { anonymousId: rb.anon, userId: r.userId, userHash: r.userHash, traits: {} }), ev('track', { anonymousId: rb.anon, userId: r.userId, event: 'Question Answered', properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' } })], rb.cookie)).status).toBe(200);

    // A customer the shop imported (`attune import` with the server key): known by id and email, with an order.
    customer = { customerId: uid('C'), email: `${uid('grace')}@example.com` };
    const imported = await server([
      ev('identify', { userId: customer.customerId, traits: { email: customer.email, firstName: 'Grace', phone: '+4915112345678', birthday: '1980-02-03' } }),
      ev('track', { userId: customer.customerId, event: 'Order Completed', properties: { order_id: uid('o'), total: 42, revenue: 42, currency: 'EUR', products: [{ product_id: P1.id, quantity: 1, price: 42 }] } }),
    ]);
    expect(imported.status, await imported.text()).toBe(200);

    // Settled: the victim's own browser sees their personalization, the export holds their events.
    await until('the victim’s own recently viewed', async () => personalIds((await recs('', victim.cookie)).items), (ids) => VIEWED.every((id) => ids.includes(id)));
    await until('the imported customer’s order', () => profileOf(customer.customerId), (p) => p.commerce.orders === 1);
    await until('the refuser’s answer', () => profileOf(`u:${refuser.userId}`), (p) => JSON.stringify(p).includes('"dry"'));
    victimMessageIds = await until('the victim’s events in the export', () => exportedMessageIds(`u:${victim.userId}`), (ids) => ids.length >= 5);
    victimSegments = Object.keys((await profileOf(`u:${victim.userId}`)).segments);
    console.log(`trust-attacks: victim ${victim.userId} in segments ${victimSegments.join(', ')}, ${victimMessageIds.length} events; setup done at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 150_000);
  afterAll(() => dev?.stop());

  it('control: the victim’s own browser, and any browser with their proof, gets their personalization', async () => {
    const { d } = await decide({ slots: ['hero'] }, victim.cookie);
    expect(d.slots.hero!.variant).toBe('hero-dry');
    expect(victimSegments).toContain('dry-skin');
    expect(heroOf(await page('/', victim.cookie))).toContain(DRY_HERO);
    expect(recentlyViewedRow(await page('/account.html', victim.cookie))).toEqual(expect.arrayContaining([`${P1.id}: ${PERSONAL}`, `${P2.id}: ${PERSONAL}`, `${P3.id}: ${PERSONAL}`]));
    const other = anonId(); // their second device, signed in: the shop backend's proof travels with the request
    const proven = await decide({ anonymousId: other, userId: victim.userId, userHash: victim.userHash, slots: ['hero'] });
    expect(proven.d).toMatchObject({ profileId: `u:${victim.userId}`, slots: { hero: { variant: 'hero-dry' } } });
    expect(personalIds((await recs(`anonymousId=${other}&userId=${victim.userId}&userHash=${victim.userHash}`)).items).sort()).toEqual([...VIEWED].sort());
  });

  it('read: /v1/recommendations?userId=<victim> returns none of their products, with no cookie, the attacker’s cookie or a wrong proof', async () => {
    const me = await consentBrowser();
    const stranger = (await recs(`userId=${uid('nobody')}`)).items; // what a never-seen user id gets
    for (const [query, cookie] of [[`userId=${victim.userId}`, undefined], [`userId=${victim.userId}`, me.cookie], [`userId=${victim.userId}&userHash=${'0'.repeat(64)}`, undefined], [`anonymousId=${me.anon}&userId=${victim.userId}`, undefined]] as const) {
      const { items, text } = await recs(query, cookie);
      expect(personalIds(items), query).toEqual([]);
      expect(text, query).not.toContain(PERSONAL);
      expect(text, query).not.toContain(victim.userId);
      // Nothing beyond what anyone gets: the same answer as for a user id nobody ever used (the trending fallback).
      expect(items.map((i) => [i.product.id, i.strategy]), query).toEqual(stranger.map((i) => [i.product.id, i.strategy]));
    }
  });

  it('read: /v1/decide {userId:<victim>} reveals neither their segments nor u:<victim>, and ignores the refusal of nobody', async () => {
    const me = await consentBrowser();
    for (const cookie of [undefined, me.cookie]) {
      const { d, text } = await decide({ userId: victim.userId }, cookie);
      const stranger = await decide({ userId: uid('nobody') }, cookie);
      expect(text).not.toContain(victim.userId);
      expect(text).not.toContain(`u:${victim.userId}`);
      expect(text).not.toContain('dry-skin');
      expect(d.slots.hero!.variant).not.toBe('hero-dry');
      expect(d.profileId).toBe(stranger.d.profileId); // null, or the attacker's own a:<anon>
      expect(decisions(d)).toEqual(decisions(stranger.d)); // no segment of theirs shows in any slot
    }
    // The refuser's "no" to personalization is not overridden by the attacker's cookie granting it.
    const { d, text } = await decide({ userId: refuser.userId }, me.cookie);
    expect(d.slots.hero!.variant).not.toBe('hero-dry');
    expect(text).not.toContain(refuser.userId);
  });

  it('take over: /v1/consent naming the victim changes no consent of theirs, and the attacker’s next pages show nothing of theirs', async () => {
    const before = (await profileOf(`u:${victim.userId}`)).consent;
    const refuserBefore = (await profileOf(`u:${refuser.userId}`)).consent;
    const me = anonId();
    const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: me, userId: victim.userId, consent: GRANTED });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(victim.userId);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^attune=/);
    const onRefuser = await post('/v1/consent', { writeKey: 'demo', anonymousId: anonId(), userId: refuser.userId, consent: GRANTED });
    expect(onRefuser.status).toBe(200);

    const after = await profileOf(`u:${victim.userId}`);
    expect(after.consent).toEqual(before); // not even its updatedAt
    expect(after.ids.anonymousIds).not.toContain(me);
    expect((await profileOf(`u:${refuser.userId}`)).consent).toEqual(refuserBefore);
    expect(refuserBefore).toMatchObject({ personalization: false });

    // The attacker's browser, with the cookie that answer set: the home page, the account page and a product page.
    const home = await page('/', cookie);
    expect(heroOf(home)).not.toContain(DRY_HERO);
    expect(home).not.toContain(PERSONAL);
    const account = await page('/account.html', cookie);
    expect(account).not.toContain(PERSONAL);
    const row = await rowVsStranger(cookie);
    expect(row.mine.length).toBeGreaterThan(0);
    expect(row.mine).toEqual(row.strangers);
    const product = await page(P2.url, cookie);
    expect(product).not.toContain(PERSONAL);
    expect(product).not.toContain(DRY_HERO);
    expect(personalIds((await recs('', cookie)).items)).toEqual([]);
    const { d, text: decided } = await decide({}, cookie);
    expect(d.profileId).toBe(`a:${me}`);
    expect(d.slots.hero!.variant).not.toBe('hero-dry');
    expect(decided).not.toContain(victim.userId);
  });

  it('identify: a browser naming the victim’s user id without (or with a wrong) proof writes nothing of theirs and reads nothing after', async () => {
    const me = await consentBrowser();
    for (const userHash of [undefined, '0'.repeat(64), (await signIn(`${uid('mallory')}@example.com`)).userHash]) {
      const res = await browser(
        [
          ev('identify', { anonymousId: me.anon, userId: victim.userId, ...(userHash ? { userHash } : {}), traits: { firstName: 'Mallory', birthday: '1990-01-01', email: 'mallory@evil.example' } }),
          ev('track', { anonymousId: me.anon, userId: victim.userId, event: 'Product Added', properties: { product_id: ADDED.id, quantity: 1, price: 10 } }),
        ],
        me.cookie,
      );
      expect(res.status, await res.text()).toBe(200); // accepted: as the attacker's own claims
    }
    // Give the writer the time a real write would take before looking.
    await until('the attacker’s own claims', () => profileOf(me.anon), (p) => p.traits.firstName === 'Mallory' || p.id === `u:${victim.userId}`);
    const theirs = await profileOf(`u:${victim.userId}`);
    expect(theirs.traits.firstName).toBe('Vera');
    expect(theirs.traits.birthday).toBeUndefined();
    expect(JSON.stringify(theirs)).not.toContain('mallory');
    expect(JSON.stringify(theirs.commerce)).not.toContain(ADDED.id);
    expect(theirs.ids.anonymousIds).not.toContain(me.anon);
    expect((await profileOf(me.anon)).id).toBe(`a:${me.anon}`);

    const { d, text } = await decide({}, me.cookie);
    expect(d.slots.hero!.variant).not.toBe('hero-dry');
    expect(text).not.toContain(victim.userId);
    expect(personalIds((await recs('', me.cookie)).items).filter((id) => VIEWED.includes(id))).toEqual([]);
    const row = await rowVsStranger(me.cookie);
    expect(row.mine.join()).not.toContain(PERSONAL);
    expect(row.mine).toEqual(row.strangers);
  });

  it('identify: the attacker’s own verified user id with an imported customer’s email absorbs nothing of theirs, now or when they come back', async () => {
    const mallory = await signIn(`${uid('mallory')}@example.com`);
    const me = await consentBrowser(GRANTED);
    const before = await profileOf(customer.customerId);
    const res = await browser([ev('identify', { anonymousId: me.anon, userId: mallory.userId, userHash: mallory.userHash, traits: { email: customer.email } })], me.cookie);
    expect(res.status, await res.text()).toBe(200);
    const mine = await until('the attacker’s identify', () => profileOf(`u:${mallory.userId}`), (p) => p.ids.anonymousIds.includes(me.anon));

    expect(mine.id).toBe(`u:${mallory.userId}`);
    expect(mine.traits.firstName).toBeUndefined();
    expect(mine.traits.phone).toBeUndefined();
    expect(mine.commerce.orders ?? 0).toBe(0);
    const theirs = await profileOf(customer.customerId);
    expect(theirs.id).toBe(before.id);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.traits).toMatchObject({ firstName: 'Grace', phone: '+4915112345678', birthday: '1980-02-03' });
    expect(theirs.commerce).toMatchObject({ orders: 1 });
    expect(theirs.ids.anonymousIds).not.toContain(me.anon);

    // The customer comes back and browses (the shop's backend reports it): the attacker's cookie shows none of it.
    expect((await server([ev('track', { userId: customer.customerId, event: 'Product Viewed', properties: { product_id: ADDED.id } })])).status).toBe(200);
    await until('the customer’s new view', async () => JSON.stringify(await profileOf(customer.customerId)), (p) => p.includes(ADDED.id));
    expect(personalIds((await recs('', me.cookie)).items)).not.toContain(ADDED.id);
    const row = await rowVsStranger(me.cookie);
    expect(row.mine.join()).not.toContain(PERSONAL);
    expect(row.mine).toEqual(row.strangers);
  });

  it('erase: /v1/consent naming the victim with everything denied erases nothing: their profile and events stay', async () => {
    const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anonId(), userId: victim.userId, consent: DENIED });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(victim.userId);
    expect((JSON.parse(text) as { erased?: string | null }).erased ?? null).toBeNull();
    await sleep(500); // an erase, had there been one, is done before its answer; this only gives D1 a moment
    expect((await admin(`/v1/profiles/u:${victim.userId}`)).status).toBe(200);
    expect(await exportedMessageIds(`u:${victim.userId}`)).toEqual(expect.arrayContaining(victimMessageIds));
    // And the victim's own browser is still personalized.
    expect((await decide({ slots: ['hero'] }, victim.cookie)).d.slots.hero!.variant).toBe('hero-dry');
  });
});

describe('issue 19: enumeration is rate limited (a second stack, without the operator override)', () => {
  let limited: Dev | undefined;
  beforeAll(async () => {
    limited = await startDev({ vars: { ATTUNE_ENV: 'development' } });
  }, 120_000);
  afterAll(() => limited?.stop());

  /** Sends `send(i)` 25 at a time until a 429 (or `max` requests): the local binding counts per wall-clock minute, so up to two windows may pass. */
  async function untilRefused(max: number, send: (i: number) => Promise<Response>) {
    for (let i = 0; i < max; i += 25) {
      const answers = await Promise.all(Array.from({ length: Math.min(25, max - i) }, (_, k) => send(i + k)));
      const texts = await Promise.all(answers.map((r) => r.text()));
      const at = answers.findIndex((r) => r.status === 429);
      if (at >= 0) return { count: i + at + 1, res: answers[at]!, error: (JSON.parse(texts[at]!) as { error: string }).error };
      for (const [k, r] of answers.entries()) expect([200, 401], texts[k]).toContain(r.status);
    }
    return null;
  }

  it('refuses decide past its read budget with 429 and Retry-After, then recommendations too; and wrong admin tokens', async () => {
    const ip = '10.19.0.1'; // a client of its own (the address Cloudflare gives, passed on by wrangler dev)
    const reads = BUDGETS.reads.limit;
    const refused = await untilRefused(2 * reads + 50, (i) =>
      fetch(`${limited!.url}/v1/decide`, { method: 'POST', headers: { 'cf-connecting-ip': ip }, body: JSON.stringify({ writeKey: 'demo', userId: `guess-${i}` }) }),
    );
    expect(refused, 'no 429 for decide').not.toBeNull();
    console.log(`trust-attacks: decide refused at request ${refused!.count} (budget ${reads}/min), Retry-After ${refused!.res.headers.get('retry-after')}`);
    expect(refused!.count).toBeGreaterThan(reads / 2);
    const retryAfter = Number(refused!.res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused!.error).toMatch(/rate limit/);
    const recs = await fetch(`${limited!.url}/v1/recommendations?writeKey=demo&strategy=recently-viewed&userId=guess`, { headers: { 'cf-connecting-ip': ip } });
    await recs.arrayBuffer();
    expect(recs.status).toBe(429);
    const other = await fetch(`${limited!.url}/v1/recommendations?writeKey=demo&strategy=recently-viewed`, { headers: { 'cf-connecting-ip': '10.19.0.2' } });
    await other.arrayBuffer();
    expect(other.status).toBe(200); // another client is not affected

    const guesses = await untilRefused(2 * BUDGETS.adminFailures.limit + 5, (i) => fetch(`${limited!.url}/v1/profiles/x`, { headers: { authorization: `Bearer guess-${i}`, 'cf-connecting-ip': '10.19.0.3' } }));
    expect(guesses, 'no 429 for wrong admin tokens').not.toBeNull();
    expect(Number(guesses!.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
