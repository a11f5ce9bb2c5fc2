// Shared set-up of the widget specs, after the tracker's harness: Debian's Chromium via playwright-core,
// one browser per spec file, a fresh context per test, a stand-in edge, and errors that reached the page.
// Most specs use a recording stand-in for window.attune (the widgets' only way to track), so they can
// assert exactly which calls the widgets made; one spec runs the real tracker.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import { errorsIn } from '../../../../scripts/chromium.mjs';
import { useChromiumAndServer } from '../../../../test/browser-suite.js';
import { styleTag } from '@attune/edge/contract/markup';
import { AXE, WIDGETS, WidgetServer } from './server.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Before any page script: error capture, an XSS canary, layout shifts, and the recording tracker stand-in. */
const INIT = `(() => {
  window.__errors = [];
  window.onerror = (m, s, l, c, e) => { window.__errors.push('onerror: ' + (e && e.stack || m)); };
  addEventListener('unhandledrejection', (e) => window.__errors.push('unhandledrejection: ' + (e.reason && e.reason.stack || e.reason)));
  window.__xss = 0;
  window.__shifts = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts.push({ value: e.value, recent: e.hadRecentInput }); })
    .observe({ type: 'layout-shift', buffered: true });
  if (!/real-tracker/.test(location.search)) {
    const calls = (window.__calls = []);
    const listeners = [];
    let state = { analytics: false, personalization: false, decided: false };
    window.attune = {
      track: (...a) => calls.push(['track', ...a]),
      answer: (...a) => calls.push(['answer', ...a]),
      ready: (cb) => cb(window.attune),
      consent: {
        get: () => ({ ...state }),
        set: (c) => { calls.push(['consent.set', c]); state = { ...state, ...c, decided: true }; listeners.forEach((f) => f(state)); },
        on: (f) => (listeners.push(f), () => {}),
      },
    };
  }
})();`;

export interface PageOpts {
  body: string;
  /** The edge's style tag in <head> (default true), as the Worker renders pages. */
  css?: boolean;
  /** Run the real tracker (/attune.js) instead of the recording stand-in. */
  realTracker?: boolean;
  /** Inline script run before the widgets load. */
  before?: string;
  /** Leave the widgets script out (the test adds it). */
  widgets?: boolean;
}

export function pageHtml(o: PageOpts) {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    '<link rel="icon" href="data:,"><title>Attune widgets test</title>',
    o.css === false ? '' : styleTag(),
    '<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}</style>',
    '</head><body><main><h1>Widgets test page</h1>',
    o.body,
    '</main>',
    o.before ? `<script>${o.before}</script>` : '',
    o.realTracker ? '<script async src="/attune.js" data-write-key="demo"></script>' : '',
    o.widgets === false || o.realTracker ? '' : '<script async src="/attune-widgets.js"></script>',
    '</body></html>',
  ].join('\n');
}

export interface Harness {
  server: WidgetServer;
  browser: Browser;
  context: BrowserContext;
  errors: string[];
  open(o: PageOpts, path?: string): Promise<Page>;
}

export function useBrowser(): Harness {
  const h = { errors: [] } as unknown as Harness;
  const pages: Page[] = [];
  useChromiumAndServer(WIDGETS, () => new WidgetServer().start(), h);
  beforeEach(async () => {
    h.server.reset();
    h.errors = [];
    pages.length = 0;
    h.context = await h.browser.newContext({ viewport: { width: 1000, height: 700 } });
    await h.context.addInitScript(INIT);
    h.context.on('page', (p) => {
      p.on('pageerror', (e) => h.errors.push(`pageerror: ${e.stack ?? e.message}`));
      p.on('dialog', (d) => (h.errors.push(`dialog: ${d.message()}`), void d.dismiss()));
    });
  });
  afterEach(async () => {
    h.errors.push(...(await errorsIn(pages)));
    const xss = await Promise.all(pages.filter((p) => !p.isClosed()).map((p) => p.evaluate(() => (window as any).__xss).catch(() => 0)));
    await h.context?.close();
    expect(h.errors, 'errors thrown into the page').toEqual([]);
    expect(xss.filter(Boolean), 'injected script ran').toEqual([]);
  });
  h.open = async (o, path = '/') => {
    h.server.page = pageHtml(o);
    const page = await h.context.newPage();
    pages.push(page);
    // The tracker stand-in is installed before any page script, unless the URL asks for the real one.
    await page.goto(h.server.url + path + (o.realTracker ? `${path.includes('?') ? '&' : '?'}real-tracker` : ''));
    return page;
  };
  return h;
}

/** Waits until the widgets bundle has defined its elements. */
export const widgetsReady = (page: Page) => page.waitForFunction(() => !!customElements.get('attune-consent'));

/** The calls the widgets made to the tracker stand-in. */
export const calls = (page: Page) => page.evaluate(() => (window as any).__calls as unknown[][]);
export const tracked = async (page: Page, event: string) => (await calls(page)).filter((c) => c[0] === 'track' && c[1] === event).map((c) => c[2] as any);

/** Sum of layout-shift values not caused by input: the page's CLS so far. */
export const cls = (page: Page) =>
  page.evaluate(() => ((window as any).__shifts as { value: number; recent: boolean }[]).filter((s) => !s.recent).reduce((a, s) => a + s.value, 0));

/** axe-core's violations on the page (or within `selector`), as "rule: target" lines. */
export async function axe(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(async (sel) => (window as any).axe.run(sel ? document.querySelector(sel) : document), selector ?? null);
  return (r.violations as { id: string; nodes: { target: string[] }[] }[]).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
