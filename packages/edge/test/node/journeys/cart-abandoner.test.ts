// Journey 3: a cart abandoner. The segment needs something in the cart added at least an hour ago and no
// order since. The earlier visit, two hours ago, is seeded as a server-side Segment library would send it
// (POST /v1/batch with that visit's timestamps, for this browser's anonymous id); the browser comes back as
// that visit left it, and the hero asks about the cart — while a cart filled ten minutes ago does not.
import { describe, expect, it } from 'vitest';
import { useStack } from '../chromium.js';
import { batch, event, heroTitle, holdoutSafeId, hydrated, parseServed, productProps, profile, readHome, returningVisitor, shooter, until, visit } from './helpers.js';

const stack = useStack('attune-widgets.js');
const shot = shooter('cart-abandoner');
const HOUR = 3_600_000;

/** An earlier visit `ago` ms back: home, a product page, the product added to the cart. */
const earlierVisit = (id: string, product: string, ago: number) => [
  event('page', id, ago + 60_000, { name: 'Home', properties: { path: '/' } }),
  event('track', id, ago + 30_000, { event: 'Product Viewed', properties: productProps(product) }),
  event('track', id, ago, { event: 'Product Added', properties: productProps(product) }),
];

describe('journey: cart abandoner', () => {
  it('comes back two hours after filling the cart and the hero brings them back to it', async () => {
    const url = stack.dev.url;
    const id = holdoutSafeId('cart');
    const recent = holdoutSafeId('cart-recent');
    // Sent as a server library would, e.g. from the shop's backend when the cart was saved.
    await batch(url, [...earlierVisit(id, 'ser-001', 2 * HOUR), ...earlierVisit(recent, 'ser-002', HOUR / 6)]);
    await until(async () => (await profile(url, id))?.commerce.cart.length && (await profile(url, recent))?.commerce.cart.length, 'both carts in the profiles');

    const { ctx, page } = await returningVisitor(stack.browser, url, id);
    const home = await visit(page, `${url}/`);
    const served = parseServed(home.html);
    expect(served.hero).toEqual({ filled: true, variant: 'hero-cart', title: heroTitle('hero-cart') });
    expect(home.html).toMatch(/<attune-slot name="hero"[^>]*>[\s\S]*?href="\/cart"[\s\S]*?<\/attune-slot>/);
    // What is in the cart is not recommended again (`excludeCart`).
    expect(served.recs.find((r) => r.strategy === 'home-for-you')!.ids).not.toContain('ser-001');
    await hydrated(page);
    expect((await readHome(page)).hero).toEqual(served.hero);
    await page.locator('attune-slot[name="hero"] a[href="/cart"]').waitFor({ state: 'visible' });
    await shot(page, 'cart-hero');
    await ctx.close();

    // Ten minutes after adding to the cart is not abandonment yet: that visitor, still new, sees what any new
    // visitor sees — the default, or the hero-quiz-copy experiment's arm for new visitors (its id decides which).
    const other = await returningVisitor(stack.browser, url, recent);
    const fresh = parseServed((await visit(other.page, `${url}/`)).html);
    expect(fresh.hero.variant).not.toBe('hero-cart');
    expect(['default', 'bold']).toContain(fresh.hero.variant);
    await other.ctx.close();
  });
});
