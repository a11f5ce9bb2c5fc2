// Issue 19, items 2 and 4: a profile is read, and its consent changed, only by whoever holds it. Driven as an
// attacker would: plain HTTP with the public write key `demo`, no cookie or their own, knowing only a victim's
// user id. The holders — the browser with the cookie the edge signed, a page proving the user id with the
// site's identity secret (userHash) — keep their personalization.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { atTime } from '../../../../test/clock.js';
import { formatConsentCookie, parseConsentCookie } from '../../src/contract/consent-cookie.js';
import type { RecommendationsResponse } from '../../src/contract/catalog.js';
import type { DecideResponse } from '../../src/contract/decide.js';
import { DEV_COOKIE_SECRET, signConsentCookie } from '../../src/http/capability.js';
import { DEV_IDENTITY_SECRET, userHash } from '../../src/http/identity-proof.js';
import { createApp } from '../../src/index.js';
import { signedCookie } from '../signed-cookie.js';
import { admin, d1Count, freshVisitorId, ORIGIN, post, profileOf, uid } from './helpers.js';

// A day outside the demo's seasonal promotions, so the variants below do not depend on today.
const AT = '2026-06-15T10:00:00Z';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const GRANTED = { analytics: true, personalization: true };
const DENIED = { analytics: false, personalization: false };
const VIEWED = catalog.products[3]!.id;
const PERSONAL = 'You looked at this recently'; // the reason a recently viewed card carries

const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';

/** A signed-in shopper who answered the quiz (dry skin) and viewed a product, in their own browser. */
async function victim(consent = GRANTED) {
  const user = uid('victim');
  const anon = freshVisitorId();
  const proof = await userHash(DEV_IDENTITY_SECRET, user); // computed by the shop's backend
  const granted = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, userId: user, userHash: proof, consent });
  expect(granted.status).toBe(200);
  const at = new Date(Date.now() - 60_000).toISOString();
  // Their page proves the user id with each event (a page's user id without its proof is only a claim).
  const ev = (event: string, properties: Record<string, unknown>) => ({ type: 'track', event, anonymousId: anon, userId: user, userHash: proof, messageId: uid('m'), timestamp: at, properties });
  const res = await post('/v1/batch', { writeKey: 'demo', batch: [ev('Question Answered', { quiz: 'skin', question: 'skin-type', answer: 'dry' }), ev('Product Viewed', { product_id: VIEWED })] });
  expect(res.status).toBe(200);
  return { user, anon, proof, cookie: cookieOf(granted) };
}

/** The attacker's own browser: a consent of their own, and the cookie the edge gave them for it. */
async function attacker() {
  const anon = freshVisitorId();
  const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: GRANTED });
  return { anon, cookie: cookieOf(res) };
}

const decide = async (body: Record<string, unknown>, cookie?: string) => {
  const res = await post('/v1/decide', { writeKey: 'demo', slots: ['hero'], ...body }, { 'user-agent': CHROME, ...(cookie ? { cookie } : {}) });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { d: JSON.parse(text) as DecideResponse, text };
};
const recs = async (query: string, cookie?: string) => {
  const res = await SELF.fetch(`${ORIGIN}/v1/recommendations?writeKey=demo&strategy=recently-viewed&${query}`, { headers: cookie ? { cookie } : {} });
  expect(res.status, await res.clone().text()).toBe(200);
  const r = (await res.json()) as RecommendationsResponse;
  return r.items.filter((i) => i.strategy === 'recently-viewed').map((i) => i.product.id);
};
const page = async (path: string, cookie: string) => (await SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie, 'user-agent': CHROME } })).text();
const heroOf = (html: string) => /<attune-slot name="hero"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html)?.[1] ?? '';

describe('a stranger knowing only a user id', () => {
  it("reads none of their recently viewed products from /v1/recommendations, with no cookie or with one of the stranger's own", async () => {
    await atTime(AT, async () => {
      const v = await victim();
      const me = await attacker();
      expect(await recs(`userId=${v.user}`)).toEqual([]);
      expect(await recs(`userId=${v.user}`, me.cookie)).toEqual([]);
      expect(await recs(`userId=${v.user}&userHash=${'0'.repeat(64)}`)).toEqual([]);
    });
  });

  it('learns neither their segments nor their profile id from /v1/decide', async () => {
    await atTime(AT, async () => {
      const v = await victim();
      const me = await attacker();
      for (const cookie of [undefined, me.cookie]) {
        const { d, text } = await decide({ userId: v.user }, cookie);
        expect(d.slots.hero!.variant).not.toBe('hero-dry');
        expect(d.profileId).not.toBe(`u:${v.user}`);
        expect(text).not.toContain(v.user); // the answer never names them
      }
    });
  });

  it("cannot override their refusal of personalization with the stranger's own cookie", async () => {
    await atTime(AT, async () => {
      const v = await victim({ analytics: true, personalization: false });
      const me = await attacker();
      expect((await decide({ userId: v.user }, me.cookie)).d.slots.hero!.variant).not.toBe('hero-dry');
      // Even a proven id: the consent stored on the profile is theirs, a cookie can only narrow it.
      expect((await decide({ userId: v.user, userHash: v.proof }, me.cookie)).d.slots.hero).toMatchObject({ variant: 'default', reason: { kind: 'no-consent' } });
    });
  });

  it("cannot take over their profile through /v1/consent: their consent stays, the stranger's browser shows nothing of theirs", async () => {
    await atTime(AT, async () => {
      const v = await victim({ analytics: true, personalization: false });
      const me = freshVisitorId();
      const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: me, userId: v.user, consent: GRANTED });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ success: true, profileId: `a:${me}` });
      expect(text).not.toContain(v.user);

      const theirs = await profileOf(`u:${v.user}`);
      expect(theirs.consent).toMatchObject({ analytics: true, personalization: false });
      expect(theirs.ids.anonymousIds).not.toContain(me);
      const cookie = cookieOf(res);
      expect(heroOf(await page('/', cookie))).not.toContain('Deep hydration for dry skin');
      expect(await page('/account.html', cookie)).not.toContain(PERSONAL);
      expect((await decide({}, cookie)).d.slots.hero!.variant).not.toBe('hero-dry');
    });
  });

  it('cannot erase their profile or events by withdrawing consent in their name', async () => {
    await atTime(AT, async () => {
      const v = await victim();
      const events = await d1Count('site = ? AND user_id = ?', 'demo', v.user);
      expect(events).toBeGreaterThanOrEqual(2); // their two events (and the segment entry they caused)
      const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: freshVisitorId(), userId: v.user, consent: DENIED });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ success: true, erased: null });
      expect(text).not.toContain(v.user);
      expect((await admin(`/v1/profiles/u:${v.user}`)).status).toBe(200);
      expect(await d1Count('site = ? AND user_id = ?', 'demo', v.user)).toBe(events);
    });
  });
});

describe('whoever holds the profile', () => {
  it('with the cookie the edge signed gets personalized decide, recommendations and first paint, named by their own key', async () => {
    await atTime(AT, async () => {
      const v = await victim();
      const { d } = await decide({}, v.cookie);
      expect(d.slots.hero).toMatchObject({ variant: 'hero-dry' });
      // The profile is u:<user>, linked by an identify nobody proved: named by the anonymous id the caller holds.
      expect(d.profileId).toBe(`a:${v.anon}`);
      expect(await recs('', v.cookie)).toEqual([VIEWED]);
      expect(heroOf(await page('/', v.cookie))).toContain('Deep hydration for dry skin');
      expect(await page('/account.html', v.cookie)).toContain(PERSONAL);
    });
  });

  it('with a proven user id (userHash) gets the same personalization in two browsers, and a wrong proof gets none', async () => {
    await atTime(AT, async () => {
      const v = await victim();
      for (const anonymousId of [freshVisitorId(), freshVisitorId()]) {
        const { d } = await decide({ anonymousId, userId: v.user, userHash: v.proof });
        expect(d).toMatchObject({ profileId: `u:${v.user}`, slots: { hero: { variant: 'hero-dry' } } });
        expect(await recs(`anonymousId=${anonymousId}&userId=${v.user}&userHash=${v.proof}`)).toEqual([VIEWED]);
      }
      const other = await userHash(DEV_IDENTITY_SECRET, `${v.user}-other`);
      expect((await decide({ userId: v.user, userHash: other })).d.slots.hero!.variant).not.toBe('hero-dry');
      expect(await recs(`userId=${v.user}&userHash=${other}`)).toEqual([]);
    });
  });

  it('is not whoever forges a cookie: unsigned (the old format), purposes or anonymous id changed, or signed for another site', async () => {
    await atTime(AT, async () => {
      const v = await victim();
      // A visitor whose profile holds no consent of its own: only a valid cookie could grant personalization.
      const x = freshVisitorId();
      const at = new Date(Date.now() - 60_000).toISOString();
      await post('/v1/batch', { writeKey: 'demo', batch: [{ type: 'track', event: 'Question Answered', anonymousId: x, messageId: uid('m'), timestamp: at, properties: { question: 'skin-type', answer: 'dry' } }] });
      expect((await decide({}, await signedCookie(x))).d.slots.hero!.variant).toBe('hero-dry'); // the control
      const analyticsOnly = parseConsentCookie((await signedCookie(x, { analytics: true, personalization: false })).slice('attune='.length))!;
      const mine = parseConsentCookie((await signedCookie(freshVisitorId())).slice('attune='.length))!;
      const forged = [
        `attune=1.ap.${encodeURIComponent(v.anon)}`,
        `attune=1.ap.${encodeURIComponent(x)}`,
        `attune=${formatConsentCookie({ anonymousId: x, consent: GRANTED }, analyticsOnly.signature)}`,
        `attune=${formatConsentCookie({ anonymousId: v.anon, consent: GRANTED }, mine.signature)}`,
        `attune=${await signConsentCookie(DEV_COOKIE_SECRET, 'other-shop', { anonymousId: v.anon, consent: GRANTED })}`,
        `attune=${await signConsentCookie('another-secret', 'demo', { anonymousId: v.anon, consent: GRANTED })}`,
      ];
      for (const cookie of forged) {
        expect((await decide({}, cookie)).d, cookie).toMatchObject({ profileId: null, slots: { hero: { variant: 'default' } } });
        expect(heroOf(await page('/', cookie)), cookie).not.toContain('Deep hydration for dry skin');
        expect(await recs('', cookie), cookie).toEqual([]);
      }
    });
  });

  it('cannot be issued or honoured in production without ATTUNE_COOKIE_SECRET', async () => {
    const { app } = createApp(config, catalog);
    const prod = { ...env, ATTUNE_ENV: 'production' };
    const anon = freshVisitorId();
    const granted = await app.fetch(new Request(`${ORIGIN}/v1/consent`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: anon, consent: GRANTED }) }), prod);
    expect(granted.status).toBe(200);
    expect(granted.headers.get('set-cookie')).toBeNull();
    // A cookie signed with the development fallback is nothing in production.
    const cookie = await signedCookie(anon);
    const res = await app.fetch(new Request(`${ORIGIN}/v1/decide`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ writeKey: 'demo', slots: ['hero'] }) }), prod);
    expect(((await res.json()) as DecideResponse).profileId).toBeNull();
    // With the secret set, the cookie the edge issues works.
    const withSecret = { ...prod, ATTUNE_COOKIE_SECRET: 'prod-secret' };
    const issued = await app.fetch(new Request(`${ORIGIN}/v1/consent`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: anon, consent: GRANTED }) }), withSecret);
    const d = await app.fetch(new Request(`${ORIGIN}/v1/decide`, { method: 'POST', headers: { cookie: cookieOf(issued) }, body: JSON.stringify({ writeKey: 'demo', slots: ['hero'] }) }), withSecret);
    expect(((await d.json()) as DecideResponse).profileId).toBe(`a:${anon}`);
  });
});
