// A customer imported from a CRM or till export (`attune import`) who later identifies on the site, with
// another userId but the same email, becomes one profile with the visitor: orders counted once, every id resolving.
// Email links are trusted only from a server key (`demo-server` in development): the import and the shop's
// backend send with it. A page cannot link by email (test/worker/trust-ingest.test.ts).
import { describe, expect, it } from 'vitest';
import { emailUserId } from '../../src/hash/email-key.js';
import { post, profileOf, uid } from './helpers.js';

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** What `attune import` sends: an identify and an Order Completed under the person's import userId. */
async function imported(userId: string, traits: Record<string, unknown>, orderId: string) {
  const order = { type: 'track', event: 'Order Completed', userId, messageId: `import:orders:${orderId}`, timestamp: day(30), properties: { order_id: orderId, total: 42, revenue: 42, currency: 'EUR', products: [{ product_id: 'p1', quantity: 1, price: 42 }] } };
  const res = await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', userId, messageId: `import:customers:${uid()}`, traits }, order] });
  expect(res.status).toBe(200);
  return order;
}

describe('imported customers link to the visitor who identifies with their email', () => {
  it('absorbs a profile imported under sha256:<email> (emails hashed) into the visitor who identifies with that email', async () => {
    const email = `${uid('ada')}@example.com`;
    const importId = await emailUserId(email);
    const order = await imported(importId, { firstName: 'Ada', loyalty_tier: 'gold' }, uid('o'));

    const anon = uid('anon');
    const web = uid('web');
    const res = await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', userId: web, anonymousId: anon, messageId: uid(), traits: { email: `  ${email.toUpperCase()} ` } }] });
    expect(res.status).toBe(200);

    const p = await profileOf(web);
    expect(p.id).toBe(`u:${web}`);
    expect((await profileOf(importId)).id).toBe(p.id);
    expect((await profileOf(anon)).id).toBe(p.id);
    expect(p.traits).toMatchObject({ firstName: 'Ada', loyalty_tier: 'gold', email });
    expect(p.commerce).toMatchObject({ orders: 1, revenue: 42 });

    // Importing the same file again (same messageIds) still counts the order once.
    await post('/v1/batch', { writeKey: 'demo-server', batch: [order] });
    const again = await profileOf(importId);
    expect(again.id).toBe(p.id);
    expect(again.commerce).toMatchObject({ orders: 1, revenue: 42 });
    expect(again.counters['Order Completed']!.count).toBe(1);
  });

  it('follows a customer imported under its customer id, with the email in its traits', async () => {
    const email = `${uid('grace')}@example.com`;
    const customerId = uid('C');
    await imported(customerId, { email, firstName: 'Grace' }, uid('o'));
    const web = uid('web');
    await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', userId: web, messageId: uid(), traits: { email } }] });
    const p = await profileOf(web);
    expect((await profileOf(customerId)).id).toBe(p.id);
    expect((await profileOf(await emailUserId(email))).id).toBe(p.id);
    expect(p.commerce).toMatchObject({ orders: 1, revenue: 42 });
  });

  it('does not link on an invalid email', async () => {
    const web = uid('web');
    await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', userId: web, messageId: uid(), traits: { email: 'not-an-email' } }] });
    expect((await profileOf(web)).ids.merged).toEqual([]);
  });
});
