// The real Segment Node client, pointed at the local Worker (`wrangler dev`), delivers into a profile.
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

let dev: { url: string; stop: () => Promise<void>; output: () => string };
beforeAll(async () => {
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

const profile = async (id: string) =>
  (await fetch(`${dev.url}/v1/profiles/${encodeURIComponent(id)}`, { headers: { authorization: 'Bearer dev-admin' } })).json();

describe('@segment/analytics-node against the local Worker', () => {
  it('delivers identify, track and page events that show up in the profile', async () => {
    const analytics = new Analytics({ writeKey: 'demo', host: dev.url, flushAt: 4, maxRetries: 1 });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.on('error', (e) => errors.push(e));
    const userId = `seg-user-${Date.now()}`;
    const anonymousId = `seg-anon-${Date.now()}`;

    analytics.track({ anonymousId, event: 'Product Viewed', properties: { product_id: 'p1', category: 'Shoes', price: 30 } });
    analytics.identify({ userId, anonymousId, traits: { email: '  Grace@Example.com', firstName: 'GRACE' } });
    analytics.track({ userId, event: 'Order Completed', properties: { order_id: 'o1', revenue: 30, products: [{ product_id: 'p1', price: 30 }] } });
    analytics.page({ userId, name: 'Checkout', properties: { path: '/checkout' } });
    analytics.screen({ userId, name: 'Home' });
    analytics.group({ userId, groupId: 'acme', traits: { plan: 'team' } });
    for (let i = 0; i < 10; i++) analytics.track({ userId, event: 'Tick', properties: { i } });
    await analytics.closeAndFlush({ timeout: 30_000 });

    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const p = await profile(userId);
    expect(p.id).toBe(`u:${userId}`);
    expect(p.ids.anonymousIds).toEqual([anonymousId]);
    expect(p.counters['Product Viewed'].count).toBe(1);
    expect(p.counters['Order Completed'].count).toBe(1);
    expect(p.counters['Page Viewed'].count).toBe(1);
    expect(p.counters['Screen Viewed'].count).toBe(1);
    expect(p.counters.Tick.count).toBe(10);
    expect(p.traits).toMatchObject({ email: 'grace@example.com', firstName: 'Grace' });
    expect(p.groups.acme).toEqual({ plan: 'team' });
    expect(p.commerce).toMatchObject({ orders: 1, revenue: 30 });
    // The anonymous id resolves to the same profile.
    expect((await profile(anonymousId)).id).toBe(`u:${userId}`);
  });
});
