// Shared set-up of the browser specs: Debian's Chromium through playwright-core, launched once per
// spec file, a fresh browser context (a new, empty visitor) per test, and the test server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import { errorsIn } from '../../../../scripts/chromium.mjs';
import { useChromiumAndServer } from '../../../../test/browser-suite.js';
import { BUNDLE, TestServer, type PageOptions, type Stats } from './server.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeout` ms. */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeout = 10_000, every = 25): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(every);
  }
}

/** Errors that reached the page: uncaught exceptions, window.onerror, unhandled rejections. */
export interface PageErrors {
  pageerror: string[];
}

/**
 * Records crypto.randomUUID's results with the time they were made, and every error that reaches
 * the page (window.onerror and unhandled rejections), before any page script runs.
 */
const INIT = `(() => {
  window.__uuids = [];
  const r = crypto.randomUUID && crypto.randomUUID.bind(crypto);
  if (r) crypto.randomUUID = () => { const id = r(); window.__uuids.push({ id, t: Date.now() }); return id; };
  window.__errors = [];
  window.onerror = (m, s, l, c, e) => { window.__errors.push('onerror: ' + (e && e.stack || m)); };
  addEventListener('unhandledrejection', (e) => window.__errors.push('unhandledrejection: ' + (e.reason && e.reason.stack || e.reason)));
})();`;

export interface Harness {
  browser: Browser;
  server: TestServer;
  /** the current test's context: one visitor's browser profile */
  context: BrowserContext;
  pages: Page[];
  /** uncaught errors of any page of this test */
  errors: string[];
  /** console messages of the pages, `[type] text` */
  console: string[];
  /** opens a page of the test server in the current context (or `ctx`), page options set beforehand */
  open(path?: string, o?: { page?: PageOptions; waitForTracker?: boolean; ctx?: BrowserContext }): Promise<Page>;
  /** set by a test that knowingly sends what the edge's contract refuses */
  allowInvalid: boolean;
}

/** Registers the hooks of one spec file and returns the harness they fill in. */
export function useBrowser(): Harness {
  const h = { errors: [], console: [], pages: [], allowInvalid: false } as unknown as Harness;
  useChromiumAndServer(BUNDLE, () => new TestServer().start(), h);
  beforeEach(async () => {
    h.server.reset();
    h.errors = [];
    h.console = [];
    h.pages = [];
    h.allowInvalid = false;
    h.context = await newContext(h);
  });
  afterEach(async () => {
    h.errors.push(...(await errorsIn(h.pages)));
    await h.context?.close();
    expect(h.errors, 'errors thrown into the page').toEqual([]);
    if (!h.allowInvalid) expect(h.server.invalid, "requests the edge's contract refuses").toEqual([]);
  });
  h.open = async (path = '/', o = {}) => {
    if (o.page) h.server.page = o.page;
    const page = await (o.ctx ?? h.context).newPage();
    h.pages.push(page);
    await page.goto(h.server.url + path);
    if (o.waitForTracker !== false) await page.waitForFunction(() => !Array.isArray((window as any).attune));
    return page;
  };
  return h;
}

/** A new, empty browser profile with the harness's error and console listeners. */
export async function newContext(h: Harness): Promise<BrowserContext> {
  const ctx = await h.browser.newContext();
  await ctx.addInitScript(INIT);
  ctx.on('page', (p) => watchPage(h, p));
  return ctx;
}

function watchPage(h: Harness, p: Page) {
  p.on('pageerror', (e) => h.errors.push(`pageerror: ${e.stack ?? e.message}`));
  p.on('console', (m) => h.console.push(`[${m.type()}] ${m.text()}`));
}

/** Tracks `count` events `name` tagged with a unique `n`, from `from` on, in the page. */
export function trackMany(page: Page, name: string, from: number, count: number) {
  return page.evaluate(
    ([name, from, count]) => {
      for (let i = 0; i < count; i++) (window as any).attune.track(name, { n: from + i });
    },
    [name, from, count] as const,
  );
}

/** Calls attune.flush() in the page; a closed page is not an error. */
export const flush = (page: Page) => page.evaluate(() => (window as any).attune.flush()).catch(() => {});

/**
 * Exactly-once check over tagged events: every `n` in `ns` delivered (after dedupe), each `n` carried by
 * exactly one messageId in everything the server received (no event was re-created with a new id).
 */
export function expectEachOnce(server: TestServer, name: string, ns: number[]) {
  const ids = new Map<number, Set<string>>();
  for (const e of server.allEvents())
    if (e.type === 'track' && e.event === name) {
      const n = e.properties?.n as number;
      if (!ids.has(n)) ids.set(n, new Set());
      ids.get(n)!.add(e.messageId);
    }
  const delivered = server.tracks(name).map((e) => e.properties?.n as number);
  expect([...delivered].sort((a, b) => a - b), `every "${name}" event delivered once`).toEqual(ns);
  const recreated = [...ids].filter(([, s]) => s.size > 1).map(([n]) => n);
  expect(recreated, 'events re-created with a new messageId').toEqual([]);
}

/** Waits until every tagged event is delivered. */
export const waitDelivered = (server: TestServer, name: string, count: number, timeout = 15_000) =>
  waitFor(`${count} "${name}" events delivered (have ${server.tracks(name).length})`, () => server.tracks(name).length >= count, timeout);

/** One line per fault spec, for the lead to quote. */
export function report(spec: string, s: Stats, extra = '') {
  console.log(
    `[delivery] ${spec}: raw requests=${s.rawRequests} raw events=${s.rawEvents} accepted events=${s.acceptedEvents} unique events=${s.unique} duplicates dropped by messageId=${s.duplicates}${extra ? ' ' + extra : ''}`,
  );
}
