// Journey 2: a returning buyer. Three days ago this browser's visitor looked at moisturizers and ordered two
// of them; the order reached the edge as the shop's server library sends it (POST /v1/batch with that visit's
// timestamps: the browser cannot travel back in time). The browser comes back as that visit left it (the
// tracker's record and the consent cookie): the hero welcomes a returning buyer, and the "Picked for you"
// row leaves out what was bought (the demo's strategies filter `excludePurchased`) while still following
// the moisturizer interest.
import { describe, expect, it } from 'vitest';
import { useStack } from '../chromium.js';
import { batch, event, heroTitle, holdoutSafeId, hydrated, parseServed, productById, productProps, profile, readHome, returningVisitor, shooter, until, visit } from './helpers.js';

const stack = useStack('attune-widgets.js');
const shot = shooter('returning-buyer');
const DAY = 86_400_000;

describe('journey: returning buyer', () => {
  it('is welcomed back, and the recommendations leave out what was bought', async () => {
    const url = stack.dev.url;
    const id = holdoutSafeId('buyer');
    const bought = ['moi-001', 'moi-002'];
    await batch(url, [
      event('page', id, 3 * DAY + 60_000, { name: 'Home', properties: { path: '/' } }),
      ...['moi-001', 'moi-002', 'moi-003'].map((p, i) => event('track', id, 3 * DAY + 50_000 - i * 1000, { event: 'Product Viewed', properties: productProps(p) })),
      ...bought.map((p) => event('track', id, 3 * DAY + 30_000, { event: 'Product Added', properties: productProps(p) })),
      event('track', id, 3 * DAY, { event: 'Order Completed', properties: { order_id: `o-${id}`, currency: 'EUR', products: bought.map((p) => productProps(p)) } }),
    ]);
    const before = await until(async () => ((await profile(url, id))?.commerce.orders === 1 ? profile(url, id) : null), 'the earlier order in the profile');
    expect(before!.commerce.purchased).toEqual(bought);
    expect(before!.commerce.cart).toEqual([]);

    const { ctx, page } = await returningVisitor(stack.browser, url, id);
    const home = await visit(page, `${url}/`);
    const served = parseServed(home.html);
    expect(served.hero).toEqual({ filled: true, variant: 'hero-returning', title: heroTitle('hero-returning') });
    const forYou = served.recs.find((r) => r.strategy === 'home-for-you')!;
    expect(forYou.filled).toBe(true);
    expect(forYou.ids.length).toBeGreaterThan(0);
    for (const p of bought) expect(forYou.ids).not.toContain(p);
    expect(forYou.ids.some((p) => productById.get(p)!.categories.includes('moisturizers'))).toBe(true);

    await hydrated(page);
    // No banner: the visitor chose three days ago.
    expect(await page.locator('attune-consent section').count()).toBe(0);
    const shown = await readHome(page);
    expect(shown.hero).toEqual(served.hero);
    await shot(page, 'welcome-back');

    // This visit is delivered into the same profile: a second page view, still one order.
    const after = await until(async () => {
      const p = await profile(url, id);
      return p && p.counters['Page Viewed']?.count === 2 ? p : null;
    }, 'the return visit in the profile');
    expect(after.commerce.orders).toBe(1);
    await ctx.close();
  });
});
