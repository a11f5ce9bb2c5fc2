// The real Segment and RudderStack Node clients, pointed at the local Worker (`wrangler dev`), deliver into a profile.
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

/**
 * The write key server clients send (in Basic auth): the site's secret server key (`demo-server` on the local
 * stack), so their user ids and emails link profiles. One place, so a change of key policy is one edit.
 */
const WRITE_KEY = 'demo-server';

let dev: { url: string; stop: () => Promise<void>; output: () => string };
beforeAll(async () => {
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

const profile = async (id: string) =>
  (await fetch(`${dev.url}/v1/profiles/${encodeURIComponent(id)}`, { headers: { authorization: 'Bearer dev-admin' } })).json();

/** Both clients send the same scenario (see each test): every event of it must be in the one profile of the user. */
async function expectEveryEvent(userId: string, anonymousId: string, ticks: number, traits: Record<string, string>) {
  const p = await profile(userId);
  expect(p.id).toBe(`u:${userId}`);
  expect(p.ids.anonymousIds).toEqual([anonymousId]);
  for (const name of ['Product Viewed', 'Order Completed', 'Page Viewed', 'Screen Viewed']) expect(p.counters[name].count, name).toBe(1);
  expect(p.counters.Tick.count).toBe(ticks);
  expect(p.traits).toMatchObject(traits);
  expect(p.groups.acme).toEqual({ plan: 'team' });
  expect(p.commerce).toMatchObject({ orders: 1, revenue: 30 });
  return p;
}

describe('@segment/analytics-node against the local Worker', () => {
  it('delivers identify, track and page events that show up in the profile', async () => {
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: dev.url, flushAt: 4, maxRetries: 1 });
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

    await expectEveryEvent(userId, anonymousId, 10, { email: 'grace@example.com', firstName: 'Grace' });
    // The anonymous id resolves to the same profile.
    expect((await profile(anonymousId)).id).toBe(`u:${userId}`);
  });
});

describe('@rudderstack/rudder-sdk-node against the local Worker', () => {
  it('delivers every event it sends with gzip on (its default: gzip JSON labelled x-www-form-urlencoded) into the profile', async () => {
    const errors: unknown[] = [];
    const rudder = new RudderAnalytics(WRITE_KEY, { dataPlaneUrl: dev.url, flushAt: 5, flushInterval: 100, retryCount: 0, errorHandler: (e) => errors.push(e), logLevel: 'error' });
    // What went over the wire, as its HTTP client saw it.
    const sent: { status: number; type: string; encoding: string }[] = [];
    const axios = (rudder as unknown as { axiosInstance: { interceptors: { response: { use: (ok: (r: any) => any) => void } } } }).axiosInstance;
    axios.interceptors.response.use((r) => {
      const h = r.config.headers;
      sent.push({ status: r.status, type: String(h['Content-Type'] ?? h['content-type']), encoding: String(h['Content-Encoding'] ?? h['content-encoding']) });
      return r;
    });
    const userId = `rudder-user-${Date.now()}`;
    const anonymousId = `rudder-anon-${Date.now()}`;
    const acked: Promise<unknown>[] = [];
    const ack = () => {
      let done!: (e: unknown) => void;
      acked.push(new Promise((r) => (done = r)));
      return (e?: unknown) => done(e ?? null);
    };

    rudder.track({ anonymousId, event: 'Product Viewed', properties: { product_id: 'p1', category: 'Shoes', price: 30 } }, ack());
    rudder.identify({ userId, anonymousId, traits: { email: '  Ada@Example.com', firstName: 'ADA' } }, ack());
    rudder.track({ userId, event: 'Order Completed', properties: { order_id: 'o1', revenue: 30, products: [{ product_id: 'p1', price: 30 }] } }, ack());
    rudder.page({ userId, name: 'Checkout', properties: { path: '/checkout' } }, ack());
    rudder.screen({ userId, name: 'Home' }, ack());
    rudder.group({ userId, groupId: 'acme', traits: { plan: 'team' } }, ack());
    for (let i = 0; i < 14; i++) rudder.track({ userId, event: 'Tick', properties: { i } }, ack());
    const queue = (rudder as unknown as { queue: unknown[] }).queue;
    while (queue.length) await rudder.flush();
    const results = await Promise.all(acked);

    expect(errors).toEqual([]);
    expect(results).toEqual(acked.map(() => null)); // every event's callback: acknowledged, no error
    expect(sent.length).toBeGreaterThan(2);
    for (const s of sent) expect(s).toEqual({ status: 200, type: expect.stringMatching(/^application\/x-www-form-urlencoded/), encoding: 'gzip' });

    await expectEveryEvent(userId, anonymousId, 14, { email: 'ada@example.com', firstName: 'Ada' });
  });
});
