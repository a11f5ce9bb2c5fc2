// Never breaks the host page: garbage arguments to every public method are ignored, nothing throws
// into the page (synchronously, through window.onerror or as an unhandled rejection), and valid calls
// made afterwards still work.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { flush, report, sleep, useBrowser, waitFor } from './harness.js';

const h = useBrowser();

/** Defines window.__garbage(): a list of hostile values, made in the page. */
const GARBAGE = `window.__garbage = () => {
  const cycle = { name: 'cycle' }; cycle.self = cycle;
  const cyclicArray = [1]; cyclicArray.push(cyclicArray);
  const big = 'x'.repeat(40 * 1024);
  const throwing = {
    get analytics() { throw new Error('getter'); },
    get personalization() { throw new Error('getter'); },
    toJSON() { throw new Error('toJSON'); },
  };
  const proxy = new Proxy({}, { get() { throw new Error('proxy get'); }, ownKeys() { throw new Error('proxy keys'); }, has() { throw new Error('proxy has'); } });
  return [
    undefined, null, 0, -1, NaN, Infinity, -0, 1e308, '', ' ', '\\u0000', big, true, false,
    Symbol('s'), 10n, () => 1, function () { throw new Error('callback'); }, [], [1, 2], ['a', { b: 1 }],
    cycle, cyclicArray, { n: 10n }, { f() {}, s: Symbol('x'), u: undefined }, { big }, Object.create(null),
    new Date(NaN), /re/, new Map([[1, 2]]), new Set([1]), new Uint8Array(4), Promise.resolve(1),
    throwing, proxy, { toString() { throw new Error('toString'); }, valueOf() { throw new Error('valueOf'); } },
    { analytics: 'yes', personalization: 1 }, { analytics: 'false' }, { analytics: null }, { personalization: {} },
    document.body, window,
  ];
};`;

/** Calls every public method with every garbage value in every argument position; returns sync throws. */
async function hammer(page: Page) {
  return page.evaluate(() => {
    const w = window as any;
    const a = w.attune;
    const values: unknown[] = w.__garbage();
    const thrown: string[] = [];
    const calls: [string, (...x: unknown[]) => unknown][] = [
      ['page', a.page],
      ['track', a.track],
      ['identify', a.identify],
      ['alias', a.alias],
      ['reset', a.reset],
      ['ready', a.ready],
      ['answer', a.answer],
      ['flush', a.flush],
      ['consent.get', a.consent.get],
      ['consent.set', a.consent.set],
      ['consent.on', a.consent.on],
    ];
    const attempt = (label: string, fn: () => unknown) => {
      try {
        const r = fn() as any;
        if (r && typeof r.then === 'function') r.then(null, (e: unknown) => thrown.push(`${label} rejected: ${e}`));
      } catch (e) {
        thrown.push(`${label}: ${e}`);
      }
    };
    let n = 0;
    for (const [name, fn] of calls)
      for (const v of values) {
        const label = `${name}(${typeof v})`;
        // As a method, detached (destructured), and in every position.
        attempt(label, () => fn.call(a.consent && name.startsWith('consent') ? a.consent : a, v));
        attempt(label + ' detached', () => fn(v));
        attempt(label + ' 2nd', () => fn.call(a, 'Valid Name', v));
        attempt(label + ' 3rd', () => fn.call(a, 'q', 'v', v));
        attempt(label + ' many', () => fn.call(a, v, v, v, v));
        n += 5;
      }
    // The stub's public surface too: attune.push is how the queue is fed.
    attempt('attune.push', () => a.push?.(null));
    return { thrown, calls: n };
  });
}

describe('garbage arguments', () => {
  it('never throw into the page, and valid calls afterwards still work', async () => {
    h.allowInvalid = true; // some garbage makes events the edge refuses (e.g. ids over 200 characters): that is its job
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' }, before: GARBAGE } });
    await waitFor('the page view', () => h.server.pages().length === 1);

    const { thrown, calls } = await hammer(page);
    expect(thrown, 'exceptions thrown by public methods').toEqual([]);
    // A consent change makes the garbage registered through consent.on() run: it must not escape either.
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.consent.set({ analytics: false, personalization: false });
      a.consent.set({ analytics: true, personalization: true });
    });
    await sleep(1100); // timers, ready callbacks, flushes, the sends the garbage caused
    // (uncaught errors and window.onerror / unhandledrejection are checked after each test by the harness)
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([]);

    // Valid calls still work.
    const before = h.server.events().length;
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.identify('user-1', { plan: 'pro' });
      a.track('Valid After Garbage', { n: 1 });
      a.page('Valid Page', { n: 2 });
      a.answer('style', 'minimal', { quiz: 'onboarding' });
    });
    await flush(page);
    await waitFor('the valid events', () => h.server.tracks('Valid After Garbage').length === 1 && h.server.tracks('Question Answered').some((e) => e.properties?.question === 'style'));
    const valid = h.server.tracks('Valid After Garbage')[0]!;
    expect(valid.userId).toBe('user-1');
    expect(valid.properties).toEqual({ n: 1 });
    expect(h.server.pages().some((e) => e.name === 'Valid Page')).toBe(true);
    expect(await page.evaluate(() => (window as any).attune.consent.get())).toMatchObject({ analytics: true, personalization: true });
    console.log(h.server.invalid.map((x) => x.slice(0, 300)).join('\n'));
    console.log(`[garbage] ${calls} calls with hostile arguments, 0 thrown; ${h.server.events().length - before} valid events delivered after them; ${h.server.invalid.length} events the edge contract would refuse`);
    report('garbage', h.server.stats());
  });

  it('drops events over 32 KB (and counts them), keeps the rest', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.track('Too Big', { s: 'x'.repeat(40 * 1024) });
      a.track('y'.repeat(40 * 1024));
      a.track('Small', { n: 1 });
    });
    await flush(page);
    await waitFor('the small event', () => h.server.tracks('Small').length === 1);
    expect(h.server.tracks('Too Big')).toEqual([]);
    expect(h.server.allEvents().every((e) => JSON.stringify(e).length <= 32 * 1024)).toBe(true);
    const last = h.server.batches.at(-1)!;
    expect(last.body?.dropped, 'dropped count reported to the edge').toBe(2);
  });

  // Consent is legal ground: only `true` may grant. The issue: "bad arguments are ignored".
  // Only `true` grants a purpose.
  it('a wrong consent object does not grant consent', async () => {
    const page = await h.open('/');
    const states = await page.evaluate(() => {
      const a = (window as any).attune;
      const out: unknown[] = [];
      for (const bad of [{ analytics: 'false' }, { analytics: 'no', personalization: 'no' }, { analytics: 1 }, { personalization: {} }, { analytics: [] }]) {
        a.consent.set(bad);
        out.push(a.consent.get());
      }
      return out;
    });
    for (const s of states) expect(s).toMatchObject({ analytics: false, personalization: false });
    await sleep(1100);
    expect(h.server.stats().rawRequests).toBe(0);
  });

  // Each queued call is guarded on its own.
  it('garbage entries in the stub queue do not stop the valid calls queued after them', async () => {
    h.server.page = {
      attrs: { 'consent-default': 'granted' },
      after: "attune.push(null); attune.push([42]); attune.push(['nope', 1]); attune.push('x'); attune.track('Queued After Garbage', { n: 1 });",
    };
    await h.open();
    await waitFor('the queued event', () => h.server.tracks('Queued After Garbage').length === 1, 2000);
  });
});
