// Shared by the browser fault specs: a consented visitor's page running the real tracker (/attune.js from
// `wrangler dev`), events with a known sequence number, a switch in front of POST /v1/batch that injects the
// fault, and the count at the edge (the admin export: profile plus every event held).
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, expect as globalExpect, type ExpectStatic } from 'vitest';
import { CHROMIUM, DESKTOP_CHROME_UA, requireChromium } from '../node/chromium.js';
import { CHROMIUM_ARGS } from '../../../../scripts/chromium.mjs';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

export const ADMIN = 'dev-admin';
/** The event every fault spec sends; its properties carry the run and a sequence number. */
export const EVENT = 'Fault Probe';

/** `wrangler dev` alone, for specs that start their own browsers (a persistent profile), stopped after the file. */
export function useDev() {
  const stack = {} as { dev: { url: string; stop: () => Promise<void> } };
  beforeAll(async () => {
    requireChromium();
    if (!existsSync(`${root}dist/site/attune.js`)) throw new Error('dist/site/attune.js is missing: run npm run build');
    stack.dev = await startDev();
  }, 120_000);
  afterAll(() => stack.dev?.stop());
  return stack;
}

/**
 * A Chromium with a profile on disk (`userDataDir`), as a visitor's browser: closing it ends the browser
 * process, and launching it again on the same directory is a browser restart with what it had stored.
 */
export const launchPersistent = (userDataDir: string) =>
  chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    userAgent: DESKTOP_CHROME_UA,
    args: CHROMIUM_ARGS,
  });

/** A fresh anonymous id per spec, so each spec counts only its own profile. */
export const visitorId = (fault: string) => `fault-${fault}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Makes every page of the context a consented returning visitor of the site's own origin: the tracker's stored
 * record (consent granted and already acknowledged, so no consent request mixes into the counts) and a page at
 * /fault.html that loads the tracker without automatic page views (only the probe events are counted).
 */
export async function prepareContext(ctx: BrowserContext, url: string, anonymousId: string) {
  await ctx.addInitScript((id) => {
    try {
      if (!localStorage.getItem('attune')) localStorage.setItem('attune', JSON.stringify({ analytics: true, personalization: true, id, uid: null, s: 1 }));
    } catch {}
  }, anonymousId);
  await ctx.route(`${url}/fault.html`, (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>fault</title><script async src="/attune.js" data-write-key="demo" data-auto-page="false"></script><p>fault</p>`,
    }),
  );
}

/** Opens /fault.html and waits for the tracker's API. */
export async function openTrackerPage(ctx: BrowserContext, url: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${url}/fault.html`);
  await page.waitForFunction(() => typeof (window as unknown as { attune?: { track?: unknown } }).attune?.track === 'function');
  return page;
}

/**
 * Calls attune.track for each sequence number in [from, to) and returns the ones it accepted: track() returned
 * without throwing, with consent granted, so the tracker took the event (it guards every call, so a throw is a bug).
 */
export async function track(page: Page, run: string, from: number, to: number): Promise<number[]> {
  return page.evaluate(
    ({ run, from, to, name }) => {
      const attune = (window as unknown as { attune: { track: (e: string, p: object) => void; consent: { get: () => { analytics: boolean } } } }).attune;
      const accepted: number[] = [];
      for (let seq = from; seq < to; seq++) {
        try {
          attune.track(name, { run, seq });
          if (attune.consent.get().analytics) accepted.push(seq);
        } catch {}
      }
      return accepted;
    },
    { run, from, to, name: EVENT },
  );
}

/** The sequence numbers of this run's events the tracker's IndexedDB outbox holds now. */
export function outboxSeqs(page: Page, run: string): Promise<number[]> {
  return page.evaluate(
    (run) =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('attune');
        // Not there yet (the tracker opens it a second after the load event): look without creating it, since an
        // empty database of that name would leave the tracker without its store.
        let absent = false;
        open.onupgradeneeded = () => ((absent = true), open.transaction!.abort());
        open.onerror = () => (absent ? resolve([]) : reject(open.error));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('outbox')) return db.close(), resolve([]);
          const all = db.transaction('outbox').objectStore('outbox').getAll();
          all.onerror = () => (db.close(), reject(all.error));
          all.onsuccess = () => {
            db.close();
            const events = all.result as { properties?: { run?: string; seq?: number } }[];
            resolve(events.filter((e) => e.properties?.run === run).map((e) => e.properties!.seq!));
          };
        };
      }),
    run,
  );
}

type Fault = (route: Route) => Promise<void>;

/**
 * A switch in front of POST /v1/batch for a whole context: every request is counted (with its time and the
 * sequence numbers it carries), then passed to the Worker unless a fault is set. Set `fault` to inject one.
 */
export async function batchSwitch(ctx: BrowserContext, url: string) {
  const sw = {
    fault: undefined as Fault | undefined,
    /** `beacon`: the tracker's sendBeacon fallback after a failed fetch (Chromium types it `ping`). */
    requests: [] as { at: number; seqs: number[]; beacon: boolean }[],
    /** Requests made within [from, to) (ms timestamps), fetches and beacons alike. */
    between: (from: number, to: number) => sw.requests.filter((r) => r.at >= from && r.at < to).length,
    /** Fetches (the tracker's own attempts, without the beacons that follow a failed one) within [from, to). */
    attemptsBetween: (from: number, to: number) => sw.requests.filter((r) => !r.beacon && r.at >= from && r.at < to).length,
  };
  await ctx.route(`${url}/v1/batch`, async (route) => {
    let seqs: number[] = [];
    try {
      seqs = (JSON.parse(route.request().postData() ?? '{}').batch ?? []).map((e: { properties?: { seq?: number } }) => e.properties?.seq);
    } catch {}
    sw.requests.push({ at: Date.now(), seqs, beacon: route.request().resourceType() !== 'fetch' });
    // The page may be gone by the time a held request is answered: nothing left to answer.
    await (sw.fault ?? ((r: Route) => r.continue()))(route).catch(() => {});
  });
  return sw;
}

/** Faults to set on the switch. */
export const faults = {
  /** The edge answers `status` without the Worker seeing the request. */
  answer: (status: number, headers: Record<string, string> = {}): Fault => (r) => r.fulfill({ status, headers, contentType: 'application/json', body: `{"success":false,"error":"injected ${status}"}` }),
  /** The connection drops before the request reaches the edge. */
  drop: (): Fault => (r) => r.abort('connectionreset'),
  /** The request reaches the edge and is stored, but the answer is lost on the way back. */
  loseAnswer: (): Fault => async (r) => {
    await r.fetch();
    await r.abort('connectionreset');
  },
};

type Export = { profile: { counters: Record<string, { count: number }> }; events: { event?: string; messageId: string; properties?: { run?: string; seq?: number } }[] };

/** What the edge holds of this run: the sequence numbers of the logged events and the profile's counter. */
export async function edgeCount(url: string, anonymousId: string, run: string) {
  const res = await fetch(`${url}/v1/profiles/${encodeURIComponent(anonymousId)}/export`, { headers: { authorization: `Bearer ${ADMIN}` } });
  if (res.status === 404) return { seqs: [] as number[], messageIds: 0, counter: 0 };
  if (res.status !== 200) throw new Error(`export ${anonymousId}: ${res.status} ${await res.text()}`);
  const x = (await res.json()) as Export;
  const mine = x.events.filter((e) => e.event === EVENT && e.properties?.run === run);
  return { seqs: mine.map((e) => e.properties!.seq!), messageIds: new Set(mine.map((e) => e.messageId)).size, counter: x.profile.counters[EVENT]?.count ?? 0 };
}

/** Polls until fn returns something truthy. */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until the edge holds as many of the run's events as were acknowledged, lets a late duplicate arrive,
 * then asserts each acknowledged event is stored exactly once, in the log and in the profile's counter.
 * Logs one line for the note. Concurrent tests pass their own `expect`.
 */
export async function expectExactlyOnce(
  url: string,
  anonymousId: string,
  run: string,
  fault: string,
  sent: number,
  acknowledged: number[],
  { ms = 60_000, expect = globalExpect }: { ms?: number; expect?: ExpectStatic } = {},
) {
  // On a timeout, go on: the assertions below say which events are missing.
  await until(async () => (await edgeCount(url, anonymousId, run)).counter >= acknowledged.length, `${acknowledged.length} events at the edge`, ms).catch(() => {});
  await new Promise((r) => setTimeout(r, 2_000)); // a retry in flight would show up as a duplicate now
  const stored = await edgeCount(url, anonymousId, run);
  console.log(`[faults] ${fault}: sent ${sent}, acknowledged ${acknowledged.length}, stored ${stored.seqs.length} (profile counter ${stored.counter})`);
  expect([...stored.seqs].sort((a, b) => a - b), 'each acknowledged event stored exactly once').toEqual([...acknowledged].sort((a, b) => a - b));
  expect(stored.messageIds, 'one messageId per event').toBe(acknowledged.length);
  expect(stored.counter, 'profile counter').toBe(acknowledged.length);
  return stored;
}
