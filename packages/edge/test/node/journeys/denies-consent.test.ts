// Journey 4: a visitor who denies consent. Clicking "Reject all" in the banner leaves only the defaults on
// every page, not one request to the Attune API (/v1/*) leaves the browser across page loads, the quiz and
// adding to the cart, and the browser holds nothing but the refusal itself (so the banner does not ask again).
import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStack } from '../chromium.js';
import { consentBanner, heroTitle, hydrated, newVisitor, parseServed, shooter, takeQuiz, visit } from './helpers.js';

const stack = useStack('attune-widgets.js');
const shot = shooter('denies-consent');

type Api = { track: (e: string, p: object) => void; flush: () => Promise<unknown>; consent: { get: () => object } };

describe('journey: denies consent', () => {
  it('gets the defaults only, sends nothing, stores nothing but the refusal', async () => {
    const url = stack.dev.url;
    const { ctx, page } = await newVisitor(stack.browser);
    const requests: Request[] = [];
    ctx.on('request', (r) => requests.push(r));
    const api = () => requests.map((r) => `${r.method()} ${r.url()}`).filter((u) => new URL(u.split(' ')[1]!).pathname.startsWith('/v1/'));
    // What any visitor gets without a profile: the page as served to a request with no cookie.
    const anonymous = parseServed(await (await fetch(`${url}/`)).text());

    const first = await visit(page, `${url}/`);
    await hydrated(page);
    await shot(page, 'banner');
    await consentBanner(page, 'Reject all');
    await shot(page, 'rejected');

    // What the tracker keeps: the refusal, nothing else — no anonymous id, no IndexedDB database, no cookie.
    const stored = async () =>
      page.evaluate(async () => ({
        // The shop's own cart and account (lumen-*) are its business; Attune's is the rest.
        local: Object.keys(localStorage).filter((k) => !k.startsWith('lumen-')),
        refusal: JSON.parse(localStorage.getItem('attune') ?? 'null'),
        session: Object.keys(sessionStorage),
        idb: (await indexedDB.databases()).map((d) => d.name),
      }));
    const onlyTheRefusal = { local: ['attune'], refusal: { analytics: false, personalization: false }, session: [], idb: [] };
    expect(await stored()).toEqual(onlyTheRefusal);

    // Acting as a shopper: the quiz (answers go through attune.answer) and adding to the cart.
    await takeQuiz(page, [['Tight or flaky'], ['Fine lines'], ['€20–40']]);
    const pages = [first.html];
    await visit(page, `${url}/products/ser-001`);
    await hydrated(page);
    await page.locator('[data-add-to-cart]').first().click();
    await page.waitForFunction(() => Number(document.querySelector('[data-cart-count]')?.textContent) > 0);
    await shot(page, 'added-to-cart');
    await page.evaluate(() => (window as unknown as { attune: Api }).attune.flush());
    await visit(page, `${url}/cart`);
    await visit(page, `${url}/c/serums`);
    for (let i = 0; i < 2; i++) {
      const again = await visit(page, `${url}/`);
      pages.push(again.html);
      await hydrated(page);
      // The banner does not ask again.
      expect(await page.locator('attune-consent section').count()).toBe(0);
      await page.evaluate(() => (window as unknown as { attune: Api }).attune.flush());
    }
    // Hidden tabs flush the outbox: make the page hidden once, the way leaving it does.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForLoadState('networkidle');

    for (const html of pages) {
      const s = parseServed(html);
      expect(s.hero).toEqual({ filled: true, variant: 'default', title: heroTitle('default') });
      expect(s.recs).toEqual(anonymous.recs);
    }
    expect(requests.length).toBeGreaterThan(5); // the recorder did see the page loads
    expect(api()).toEqual([]);
    expect(await stored()).toEqual(onlyTheRefusal);
    expect((await ctx.cookies(url)).map((c) => c.name)).toEqual([]);
    await shot(page, 'defaults-after-reload');
    await ctx.close();
  });
});
