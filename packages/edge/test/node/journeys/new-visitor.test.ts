// Journey 1: a new visitor consents in the banner, browses, takes the skin quiz ("Tight or flaky": dry), and
// on the next page load the hero is the dry-skin variant and the recommendations fit dry skin — in the HTML
// as the Worker served it, and without flicker: the hero shows one title from first paint through
// hydration, and nothing inside a slot or recs row shifts.
import { describe, expect, it } from 'vitest';
import { useStack } from '../chromium.js';
import { parseConsentCookie } from '../../../src/contract/consent-cookie.js';
import { consentBanner, heroTitle, hydrated, newVisitor, parseServed, productById, profile, readHome, rendering, shooter, takeQuiz, until, visit, watchRendering } from './helpers.js';

const stack = useStack('attune-widgets.js');
const shot = shooter('new-visitor');

describe('journey: new visitor takes the quiz', () => {
  it('consents, answers "dry", and the next page is the dry-skin hero and dry-skin picks, filled at the edge, no flicker', async () => {
    const url = stack.dev.url;
    const { ctx, page, id } = await newVisitor(stack.browser);
    await watchRendering(ctx);

    // First visit: nothing known yet, the banner asks first.
    const first = await visit(page, `${url}/`);
    expect(first.status).toBe(200);
    expect(parseServed(first.html).hero).toMatchObject({ filled: true, variant: 'default', title: heroTitle('default') });
    await hydrated(page);
    await shot(page, 'banner');
    await consentBanner(page, 'Accept all');
    // The edge heard the decision: it set the first-party cookie it renders pages by.
    const cookie = await until(async () => (await ctx.cookies(url)).find((c) => c.name === 'attune'), 'the consent cookie');
    // Signed by the edge for this site and anonymous id (http/capability.ts): a capability nobody else can make.
    expect(parseConsentCookie(cookie.value)).toMatchObject({ anonymousId: id, consent: { analytics: true, personalization: true } });

    // Browses: a category from the header, a product from it.
    await page.locator('header a[href="/c/moisturizers"]').first().click();
    await page.waitForURL(/\/c\/moisturizers/);
    await page.locator('[data-product-card] a[href^="/products/"]').first().click();
    await page.waitForURL(/\/products\//);
    await shot(page, 'product');
    await until(async () => (await profile(url, id))?.counters['Product Viewed'], 'the product view in the profile');

    // The skin quiz: dry skin, fine lines, mid budget.
    await visit(page, `${url}/quiz`);
    await hydrated(page);
    await takeQuiz(page, [['Tight or flaky'], ['Fine lines'], ['€20–40']]);
    await shot(page, 'quiz-done');
    const p = await until(async () => {
      const x = await profile(url, id);
      return x?.answers?.['skin-type'] && x.answers.budget ? x : null;
    }, 'the quiz answers in the profile');
    expect(p.answers['skin-type']!.value).toBe('dry');

    // The next page load.
    const next = await visit(page, `${url}/`);
    const served = parseServed(next.html);
    expect(next.headers['cache-control']).toMatch(/private|no-store/);
    expect(served.hero).toEqual({ filled: true, variant: 'hero-dry', title: heroTitle('hero-dry') });
    const forYou = served.recs.find((r) => r.strategy === 'home-for-you')!;
    expect(forYou.filled).toBe(true);
    expect(forYou.ids.length).toBeGreaterThan(0);
    for (const pid of forYou.ids) expect(productById.get(pid)?.attributes.skinType, pid).toContain('dry');

    await hydrated(page);
    // Let the widgets settle (exposure observers, lazy images) before reading what the visitor sees.
    await page.waitForLoadState('networkidle');
    const shown = await readHome(page);
    expect(shown.hero).toEqual(served.hero);
    expect(shown.recs.find((r) => r.strategy === 'home-for-you')!.ids).toEqual(forYou.ids);
    const r = await rendering(page);
    expect(r.fcp).not.toBeNull();
    // One hero title ever shown on this load: the dry-skin one, from first paint on.
    expect(r.heroTitles).toEqual([heroTitle('hero-dry')]);
    expect(r.shifts.filter((s) => s.inSlot).reduce((t, s) => t + s.value, 0)).toBe(0);
    await shot(page, 'home-personalized');
    await ctx.close();
  });
});
