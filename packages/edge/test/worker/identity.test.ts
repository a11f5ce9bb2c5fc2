// identify/alias link ids; two profiles with history become one, with exact sums, and every id resolves to it.
// A page's identify links with the user id's proof (userHash); the shop's server and aliases use the server key.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DEV_IDENTITY_SECRET, userHash } from '../../src/http/identity-proof.js';
import { kvProfile, post, profileOf, track, uid } from './helpers.js';

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe('identify merges profiles', () => {
  it('merges an anonymous and a known profile with history: counters add, latest trait wins, every id resolves', async () => {
    const anon = uid('anon');
    const user = uid('user');
    // The visitor browsed anonymously…
    await post('/v1/batch', {
      writeKey: 'demo',
      batch: [
        ...[1, 2, 3].map((i) => track(anon, 'Product Viewed', { timestamp: iso(60_000 * i), properties: { product_id: `p${i}`, category: 'Shoes' } })),
        track(anon, 'Question Answered', { timestamp: iso(50_000), properties: { quiz: 'style', question: 'fit', answer: 'loose' } }),
        { type: 'identify', messageId: uid(), anonymousId: anon, timestamp: iso(40_000), traits: { plan: 'free', city: 'Lyon' } },
      ],
    });
    // …and the shop's server knows the user from an earlier visit.
    await post('/v1/batch', {
      writeKey: 'demo-server',
      batch: [
        { type: 'track', event: 'Product Viewed', userId: user, messageId: uid(), timestamp: iso(3600_000), properties: { product_id: 'p9', category: 'Bags' } },
        { type: 'track', event: 'Product Viewed', userId: user, messageId: uid(), timestamp: iso(3500_000), properties: { product_id: 'p8', category: 'Bags' } },
        { type: 'track', event: 'Order Completed', userId: user, messageId: uid(), timestamp: iso(3400_000), properties: { order_id: 'o1', revenue: 40, products: [{ product_id: 'p9', price: 40, category: 'Bags' }] } },
        { type: 'identify', userId: user, messageId: uid(), timestamp: iso(3300_000), traits: { plan: 'pro', email: 'x@example.com' } },
      ],
    });
    const before = await profileOf(anon);
    expect(before.counters['Product Viewed']!.count).toBe(3);

    // Login: one identify carrying both ids, the user id proven by the shop's backend.
    const proof = await userHash(DEV_IDENTITY_SECRET, user);
    const res = await post('/v1/batch', { writeKey: 'demo', batch: [{ type: 'identify', messageId: uid(), anonymousId: anon, userId: user, userHash: proof, timestamp: iso(0) }] });
    expect(res.status).toBe(200);

    const byUser = await profileOf(user);
    const byAnon = await profileOf(anon);
    const byId = await profileOf(`u:${user}`);
    expect(byUser.id).toBe(`u:${user}`);
    expect(byAnon).toEqual(byUser);
    expect(byId).toEqual(byUser);
    expect(byUser.counters['Product Viewed']!.count).toBe(5);
    expect(byUser.counters['Order Completed']!.count).toBe(1);
    expect(byUser.commerce).toMatchObject({ orders: 1, revenue: 40 });
    expect(byUser.traits).toMatchObject({ plan: 'free', city: 'Lyon', email: 'x@example.com' }); // 'free' was set later
    expect(byUser.answers.fit).toMatchObject({ value: 'loose', quiz: 'style' });
    expect(byUser.ids.anonymousIds).toEqual([anon]);
    expect(byUser.ids.merged).toContain(`a:${anon}`);
    expect(Object.keys(byUser.affinities.category).sort()).toEqual(['bags', 'shoes']);

    // The read model: the merged profile under the user, the anonymous id mapped to it, the old profile gone.
    expect((await kvProfile(`u:${user}`))!.counters['Product Viewed']!.count).toBe(5);
    expect(await env.PROFILES.get(`id:demo:a:${anon}`)).toBe(`u:${user}`);
    expect(await kvProfile(`a:${anon}`)).toBeNull();

    // Later anonymous-only events of that browser land in the merged profile, retries of old ones do not count.
    const later = track(anon, 'Product Viewed', { properties: { product_id: 'p4' } });
    await post('/v1/batch', { writeKey: 'demo', batch: [later] });
    await post('/v1/batch', { writeKey: 'demo', batch: [later] });
    expect((await profileOf(user)).counters['Product Viewed']!.count).toBe(6);
  });

  it('alias merges a previous user id into the new one', async () => {
    const oldId = uid('old');
    const newId = uid('new');
    await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'track', event: 'Signed Up', userId: oldId, messageId: uid() }] });
    await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'track', event: 'Signed Up', userId: newId, messageId: uid() }] });
    await post('/v1/alias', { writeKey: 'demo-server', previousId: oldId, userId: newId, messageId: uid() });
    const p = await profileOf(oldId);
    expect(p.id).toBe(`u:${newId}`);
    expect(p.counters['Signed Up']!.count).toBe(2);
  });

  it('links concurrently: identify racing with anonymous batches loses nothing', async () => {
    const anon = uid('race');
    const user = uid('racer');
    const batches = Array.from({ length: 20 }, () => ({ writeKey: 'demo', batch: Array.from({ length: 5 }, () => track(anon, 'Tick')) }));
    const identify = { writeKey: 'demo', batch: [{ type: 'identify', messageId: uid(), anonymousId: anon, userId: user, userHash: await userHash(DEV_IDENTITY_SECRET, user) }] };
    await Promise.all([...batches.slice(0, 10), identify, ...batches.slice(10)].map((b) => post('/v1/batch', b)));
    expect((await profileOf(anon)).counters.Tick!.count).toBe(100);
    expect((await profileOf(user)).id).toBe(`u:${user}`);
  });
});
