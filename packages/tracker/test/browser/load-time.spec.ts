// The main-thread time the tracker adds at page load in Chromium: the same page with and without the
// script tag, each loaded in a fresh browser profile (a first visit: nothing cached), CDP
// Performance.getMetrics read once the page and the tracker's start-up work are done.
// Medians over ATTUNE_LOAD_REPEATS (default 15) loads per variant; the figures are printed.
// Opt-in (about a minute, too long for every `npm test`):
//   npm run build && ATTUNE_MEASURE_LOAD=1 npx vitest run --project tracker-browser load-time
// Nothing of Playwright runs in the page before the metrics are read (no evaluate, no waitForFunction),
// so both variants carry the same harness overhead; async scripts delay `load`, so the tracker has run by then.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sleep, useBrowser, waitFor } from './harness.js';
import type { PageOptions } from './server.js';

const h = useBrowser();
const REPEATS = Number(process.env.ATTUNE_LOAD_REPEATS) || 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function loadOnce(page: PageOptions, tracker: boolean) {
  h.server.page = page;
  const ctx = await h.browser.newContext();
  try {
    const p: Page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await p.goto(h.server.url + '/', { waitUntil: 'load' });
    await sleep(300); // the tracker's start-up: the page view timeout, IndexedDB, the first send
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
    // Make sure the tracker really ran (after the metrics were read).
    if (tracker) expect(await p.evaluate(() => !Array.isArray((window as any).attune))).toBe(true);
    return { task: get('TaskDuration'), script: get('ScriptDuration') };
  } finally {
    await ctx.close();
  }
}

async function measure(label: string, page: PageOptions) {
  const without: { task: number; script: number }[] = [];
  const empty: { task: number; script: number }[] = [];
  const withIt: { task: number; script: number }[] = [];
  for (let i = 0; i < REPEATS; i++) {
    // Alternate, so drift (caches warming, CPU frequency) hits every variant alike.
    without.push(await loadOnce({ ...page, script: false }, false));
    empty.push(await loadOnce({ ...page, src: '/empty.js' }, false));
    withIt.push(await loadOnce(page, true));
  }
  const m = (xs: { task: number; script: number }[]) => ({ task: median(xs.map((x) => x.task)), script: median(xs.map((x) => x.script)) });
  const r = { label, without: m(without), empty: m(empty), with: m(withIt) };
  console.log(
    `[load-time] ${label}: main-thread task time ${ms(r.without.task)} no script / ${ms(r.empty.task)} an empty async script / ` +
      `${ms(r.with.task)} the tracker → tracker adds +${ms(r.with.task - r.without.task)} (+${ms(r.with.task - r.empty.task)} over an empty script); ` +
      `script (V8) time ${ms(r.without.script)} / ${ms(r.empty.script)} / ${ms(r.with.script)}; ` +
      `medians of ${REPEATS} fresh-profile loads each, Chromium ${h.browser.version()}`,
  );
  return r;
}

describe('load time', () => {
  it.runIf(process.env.ATTUNE_MEASURE_LOAD)('measures the main-thread time the tracker adds at page load', { timeout: 300_000 }, async () => {
    const undecided = await measure('consent undecided (nothing stored or sent)', {});
    const granted = await measure('consent granted by default (page view stored and sent)', { attrs: { 'consent-default': 'granted' } });
    await waitFor('page views were sent in the granted runs', () => h.server.pages().length >= 1);
    // Loose sanity bounds: the figures are for the note, not a benchmark gate on a shared 2-core machine.
    for (const r of [undecided, granted]) {
      expect(r.with.script).toBeGreaterThan(r.without.script); // the script did run
      expect(r.with.task - r.without.task).toBeLessThan(100);
    }
  });
});
