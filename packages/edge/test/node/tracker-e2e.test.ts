// End to end: the real tracker bundle (/attune.js), in Chromium, against `wrangler dev`, delivers into a profile;
// consent sets the HttpOnly cookie edge rendering reads, and withdrawal erases the profile and the cookie.
import { describe, expect, it } from 'vitest';
import { DEV_IDENTITY_SECRET, userHash } from '../../src/http/identity-proof.js';
import { useStack } from './chromium.js';

const stack = useStack('attune.js');

const profile = async (id: string) => {
  const res = await fetch(`${stack.dev.url}/v1/profiles/${encodeURIComponent(id)}`, { headers: { authorization: 'Bearer dev-admin' } });
  return res.status === 200 ? res.json() : null;
};
async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('tracker in Chromium → wrangler dev', () => {
  it('delivers page views, events, answers and identify into one profile; withdrawal erases it', async () => {
    const ctx = await stack.browser.newContext();
    const page = await ctx.newPage();
    // A page of the site's own origin that loads the tracker the Worker serves.
    await page.route(`${stack.dev.url}/e2e.html`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>e2e</title><script async src="/attune.js" data-write-key="demo"></script><p>e2e</p>`,
      }),
    );
    await page.goto(`${stack.dev.url}/e2e.html`);
    await page.waitForFunction(() => typeof (window as unknown as { attune?: { track?: unknown } }).attune?.track === 'function');
    const userId = `e2e-${Date.now()}`;
    // The site's backend proves the user id (without the proof the identify would stay an anonymous claim).
    const proof = await userHash(DEV_IDENTITY_SECRET, userId);
    await page.evaluate(async ([userId, proof]) => {
      const a = (window as unknown as { attune: Record<'track' | 'answer' | 'identify', (...x: unknown[]) => unknown> & { consent: { set: (c: object) => void } } }).attune;
      a.consent.set({ analytics: true, personalization: true });
      a.track('Product Viewed', { product_id: 'p1', category: 'Shoes', price: 20 });
      a.answer('fit', 'loose', { quiz: 'style' });
      a.identify(userId, { email: ' E2E@Example.com ' }, { userHash: proof });
      a.track('Product Added', { product_id: 'p1', price: 20, quantity: 1 });
    }, [userId, proof] as const);

    const p = await until(async () => {
      const x = await profile(userId);
      return x?.counters?.['Product Added'] && x.counters['Product Viewed'] ? x : null;
    });
    expect(p.id).toBe(`u:${userId}`);
    expect(p.counters['Product Viewed'].count).toBe(1);
    expect(p.counters['Page Viewed']?.count).toBe(1); // the automatic page view, replayed on grant
    expect(p.answers.fit).toMatchObject({ value: 'loose', quiz: 'style' });
    expect(p.traits.email).toBe('e2e@example.com');
    expect(p.commerce.cart).toEqual([expect.objectContaining({ productId: 'p1', quantity: 1 })]);
    expect(p.consent).toMatchObject({ analytics: true, personalization: true });

    const cookie = await until(async () => (await ctx.cookies(stack.dev.url)).find((c) => c.name === 'attune'));
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(decodeURIComponent(cookie.value)).toContain(p.ids.anonymousIds[0]);

    await page.evaluate(() => (window as unknown as { attune: { consent: { set: (c: object) => void } } }).attune.consent.set({ analytics: false, personalization: false }));
    await until(async () => (await profile(userId)) === null);
    await until(async () => !(await ctx.cookies(stack.dev.url)).some((c) => c.name === 'attune'));
    await ctx.close();
  }, 90_000);
});
