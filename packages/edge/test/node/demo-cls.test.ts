// The demo page through the real Worker (`wrangler dev`) in Chromium: the slots arrive filled in the HTML,
// nothing is hidden while waiting (no anti-flicker), and the filled slot and recs regions never move —
// measured with a buffered `layout-shift` PerformanceObserver from before the first byte until the widgets
// bundle has loaded and hydrated.
import { describe, expect, it } from 'vitest';
import { useStack } from './chromium.js';

const stack = useStack('attune-widgets.js');

type Shift = { value: number; hadRecentInput: boolean; sources: { selector: string; inFilled: boolean; inQuiz: boolean }[] };

describe('demo page through the Worker in Chromium', () => {
  it('arrives filled, hides nothing, and the filled slots and recs never shift (CLS 0)', async () => {
    const res = await fetch(`${stack.dev.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // Filled at the edge: the hero, the promo bar and the recs row carry the marker in the HTML itself.
    expect(html).toMatch(/<attune-slot name="hero"[^>]*data-attune-filled/);
    expect(html).toMatch(/<attune-slot name="promo-bar"[^>]*data-attune-filled/);
    expect(html).toMatch(/<attune-recs[^>]*data-attune-filled/);

    const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __shifts: unknown[] };
      w.__shifts = [];
      const describe = (n: Node | null) => {
        const el = n instanceof Element ? n : n?.parentElement;
        if (!el) return { selector: '(gone)', inFilled: false, inQuiz: false };
        return {
          selector: el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''),
          inFilled: !!el.closest('attune-slot, attune-recs'),
          inQuiz: !!el.closest('attune-quiz, #quiz'),
        };
      };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node: Node | null }[] }[])
          w.__shifts.push({ value: e.value, hadRecentInput: e.hadRecentInput, sources: (e.sources ?? []).map((s) => describe(s.node)) });
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const widgets = page.waitForResponse((r) => r.url().endsWith('/attune-widgets.js') && r.ok(), { timeout: 30_000 });
    await page.goto(`${stack.dev.url}/`, { waitUntil: 'load' });
    await widgets;
    // The bundle evaluated and took over: the quiz, rendered only in the browser, shows its first question.
    await page.waitForFunction(() => (document.querySelector('attune-quiz')?.textContent ?? '').trim().length > 0, undefined, { timeout: 15_000 });
    await page.waitForTimeout(1500);

    // No anti-flicker: nothing on the page is hidden or transparent while it waits.
    const hidden = await page.evaluate(() =>
      [document.documentElement, document.body, ...document.querySelectorAll('body *')]
        .filter((el) => !['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName))
        .filter((el) => {
          const s = getComputedStyle(el);
          return s.visibility === 'hidden' || s.opacity === '0';
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(hidden).toEqual([]);

    // Still the edge-rendered content after hydration, not a re-render into something else.
    expect(await page.locator('attune-slot[name="hero"][data-attune-filled]').count()).toBe(1);
    expect(await page.locator('attune-recs[data-attune-filled]').count()).toBe(1);

    const shifts = (await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts)).filter((s) => !s.hadRecentInput);
    const sum = (xs: Shift[]) => xs.reduce((t, s) => t + s.value, 0);
    const total = sum(shifts);
    const filled = sum(shifts.filter((s) => s.sources.some((x) => x.inFilled)));
    const quiz = sum(shifts.filter((s) => s.sources.some((x) => x.inQuiz)));
    console.log(`demo page CLS: total ${total.toFixed(4)}, filled slots+recs ${filled.toFixed(4)}, quiz ${quiz.toFixed(4)}; shifts: ${JSON.stringify(shifts)}`);
    const quizBox = await page.locator('attune-quiz').boundingBox();
    console.log(`quiz box: ${JSON.stringify(quizBox)} (viewport 1280×900)`);
    expect(filled).toBe(0);
    // The page as a whole: 0 in CLS's reported precision. One CI run in three saw a 0.00003 shift of a store
    // link outside every slot (the shop's own layout, cause not found); the slots themselves stay exactly 0.
    expect(total).toBeLessThan(0.001);

    // The observer does see shifts: push the filled hero down and it reports one.
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('afterbegin', '<div style="height:200px"></div>'));
    await page.waitForFunction(() => (window as unknown as { __shifts: Shift[] }).__shifts.some((s) => s.value > 0 && s.sources.some((x) => x.inFilled)), undefined, { timeout: 5_000 });
    await ctx.close();
  }, 90_000);
});
