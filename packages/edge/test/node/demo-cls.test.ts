// The demo page through the real Worker (`wrangler dev`) in Chromium: the slots arrive filled in the HTML,
// nothing is hidden while waiting (no anti-flicker), and the filled slot and recs regions never move —
// measured with a buffered `layout-shift` PerformanceObserver from before the first byte until the widgets
// bundle has loaded and hydrated.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStack } from './chromium.js';
import { piecewiseProxy } from './piecewise-proxy.js';

const stack = useStack('attune-widgets.js');

type Shift = { value: number; hadRecentInput: boolean; sources: { selector: string; inFilled: boolean; inQuiz: boolean }[] };

/** Records every layout shift from before the first byte, with whether it touched a filled slot, recs or the quiz. */
const watchShifts = (page: Page) =>
  page.addInitScript(() => {
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

const sum = (xs: Shift[]) => xs.reduce((t, s) => t + s.value, 0);
const readShifts = async (page: Page) => (await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts)).filter((s) => !s.hadRecentInput);

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
    await watchShifts(page);
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

    const shifts = await readShifts(page);
    const total = sum(shifts);
    const filled = sum(shifts.filter((s) => s.sources.some((x) => x.inFilled)));
    const quiz = sum(shifts.filter((s) => s.sources.some((x) => x.inQuiz)));
    console.log(`demo page CLS: total ${total.toFixed(4)}, filled slots+recs ${filled.toFixed(4)}, quiz ${quiz.toFixed(4)}; shifts: ${JSON.stringify(shifts)}`);
    const quizBox = await page.locator('attune-quiz').boundingBox();
    console.log(`quiz box: ${JSON.stringify(quizBox)} (viewport 1280×900)`);
    expect(filled).toBe(0);
    // The page as a whole: 0 in CLS's reported precision. Runs that painted the header before its search field
    // had arrived once moved the logo by 0.00003; the header now keeps its row height from the start.
    expect(total).toBeLessThan(0.001);

    // The observer does see shifts: push the filled hero down and it reports one.
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('afterbegin', '<div style="height:200px"></div>'));
    await page.waitForFunction(() => (window as unknown as { __shifts: Shift[] }).__shifts.some((s) => s.value > 0 && s.sources.some((x) => x.inFilled)), undefined, { timeout: 5_000 });
    await ctx.close();
  }, 90_000);

  // A real network often delivers HTML in pieces, and Chromium paints what it has while the rest comes. The
  // demo's hero once put its image in the right column with `order`: painted before its text had arrived, the
  // image sat left, then jumped right (0.154, seen on a loaded CI machine). Cut after every image and every
  // few hundred characters, at a desktop and a phone width, the filled regions must still never move.
  for (const { width, every } of [
    { width: 1280, every: 200 },
    { width: 1280, every: 700 },
    { width: 390, every: 300 },
  ])
    it(`never shifts the filled slots and recs while the HTML arrives in pieces (${width} px wide, cut every ${every} characters and after each image)`, async () => {
      const proxy = await piecewiseProxy(stack.dev.url, { every, pauseMs: 60 });
      const ctx = await stack.browser.newContext({ viewport: { width, height: 900 } });
      try {
        const page = await ctx.newPage();
        await watchShifts(page);
        const doc = page.waitForResponse((r) => r.url() === `${proxy.url}/`);
        await page.goto(`${proxy.url}/`, { waitUntil: 'load', timeout: 60_000 });
        expect((await doc).status()).toBe(200);
        expect(await page.locator('attune-slot[name="hero"][data-attune-filled] img').count()).toBe(1);
        await page.waitForTimeout(1000);
        const shifts = await readShifts(page);
        const filled = shifts.filter((s) => s.sources.some((x) => x.inFilled));
        console.log(`pieces of ${every} characters at ${width} px: total ${sum(shifts).toFixed(4)}, filled ${sum(filled).toFixed(4)}; filled shifts: ${JSON.stringify(filled)}`);
        expect(filled).toEqual([]);
        // The shop's own header, tiles and links may move by a hair while its HTML comes in; that is the
        // site's layout, not Attune's, but the page as a whole stays well inside "good" (0.1).
        expect(sum(shifts)).toBeLessThan(0.01);
      } finally {
        await ctx.close();
        await proxy.close();
      }
    }, 90_000);
});
