// Consent first: before the visitor chooses nothing is sent and nothing is stored; events made before
// the choice are replayed once on grant and dropped on deny; withdrawal erases what the browser holds.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { flush, sleep, useBrowser, waitFor } from './harness.js';

const h = useBrowser();

/** What this origin holds in the browser, as the page and the context see it. */
async function storage(page: Page) {
  const inPage = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    cookie: document.cookie,
    localStorage: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])),
    localStorageLength: localStorage.length,
  }));
  // HttpOnly cookies are invisible to document.cookie: ask the context too.
  return { ...inPage, cookies: (await page.context().cookies()).map((c) => c.name) };
}

/** localStorage holds one record, the visitor's refusal (deliberate: the banner is not shown again), and no ids. */
function expectRefusalOnly(ls: Record<string, string | null>) {
  const keys = Object.keys(ls);
  expect(keys.length, `one localStorage key (have ${keys.join(', ')})`).toBe(1);
  expect(keys[0]).toMatch(/^attune/);
  const v = JSON.parse(ls[keys[0]!]!);
  expect(v).toMatchObject({ analytics: false, personalization: false });
  expect(Object.values(v).filter((x) => typeof x === 'string' && x.length >= 16), 'no ids kept').toEqual([]);
}

/** Requests beyond the page itself and the script. */
const extraRequests = () => h.server.log.filter((r) => r !== 'GET /' && r !== 'GET /attune.js');

describe('consent gating', () => {
  it('sends nothing and stores nothing before the visitor chooses', async () => {
    const seen: string[] = [];
    h.context.on('request', (r) => seen.push(`${r.method()} ${r.url()}`));
    const page = await h.open();
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.track('Product Viewed', { n: 1 });
      a.identify('user-1', { plan: 'pro' });
      a.answer('style', 'minimal', { quiz: 'onboarding' });
      a.page('Pricing');
    });
    await sleep(1100); // longer than the flush interval
    expect(extraRequests(), 'requests to the edge before consent').toEqual([]);
    expect(seen, 'requests the browser made').toEqual([`GET ${h.server.url}/`, `GET ${h.server.url}/attune.js`]);
    expect(await storage(page)).toEqual({ databases: [], cookie: '', localStorage: {}, localStorageLength: 0, cookies: [] });
    expect(await page.evaluate(() => (window as any).attune.consent.get())).toEqual({
      analytics: false,
      personalization: false,
      decided: false,
    });
  });

  // The host page may call attune.flush() (e.g. before following a link), and the visitor may switch
  // tabs (the tracker flushes when the page is hidden) before answering the banner.
  for (const [how, act] of [
    ['the page calls attune.flush()', (page: Page) => flush(page)],
    [
      'the page is hidden',
      (page: Page) =>
        page.evaluate(() => {
          Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
          document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        }),
    ],
  ] as const)
    // Reading the outbox would open (so create) the IndexedDB database: flushing is gated on consent.
    it(`stores nothing before consent when ${how}`, async () => {
      const page = await h.open();
      await page.evaluate(() => (window as any).attune.track('Product Viewed', { n: 1 }));
      await act(page);
      await sleep(1100);
      expect(extraRequests(), 'requests to the edge before consent').toEqual([]);
      expect(await storage(page)).toEqual({ databases: [], cookie: '', localStorage: {}, localStorageLength: 0, cookies: [] });
    });

  it('replays the events made before consent once on grant, with their original messageIds and timestamps', async () => {
    // Three calls queued by the stub before the script runs, then the automatic page view.
    h.server.page = { after: "for (let n = 1; n <= 3; n++) attune.track('Before Consent', { n })" };
    const page = await h.open();
    await sleep(200); // the automatic page view is made in a timeout after load
    const grant = await page.evaluate(() => {
      const w = window as any;
      const t = Date.now();
      const ids = w.__uuids.map((u: { id: string }) => u.id) as string[];
      w.attune.consent.set({ analytics: true, personalization: true });
      return { t, ids };
    });
    await waitFor('4 events replayed', () => h.server.events().length >= 4);
    await page.evaluate(() => (window as any).attune.track('After Consent', { n: 4 }));
    await flush(page);
    await waitFor('the event after consent', () => h.server.tracks('After Consent').length === 1);
    await sleep(1100); // room for a second, duplicate replay

    const before = h.server.events().filter((e) => e.event !== 'After Consent');
    expect(before.map((e) => e.type + ':' + (e.event ?? e.name ?? ''))).toEqual([
      'track:Before Consent',
      'track:Before Consent',
      'track:Before Consent',
      'page:',
    ]);
    expect(before.map((e) => e.properties?.n).slice(0, 3)).toEqual([1, 2, 3]);
    for (const e of before) {
      expect(grant.ids, 'messageId made before consent').toContain(e.messageId);
      expect(Date.parse(e.timestamp!), 'timestamp from before consent').toBeLessThanOrEqual(grant.t);
      expect(h.server.receivedCount(e.messageId), 'received once').toBe(1);
      expect(e.context?.consent).toEqual({ analytics: true, personalization: true });
    }
    expect(h.server.stats().rawEvents).toBe(5);
    // The grant reached the edge, which set its HttpOnly cookie; the ids are kept from now on.
    const anonymousId = before[0]!.anonymousId;
    await waitFor('consent sent to the edge', () => h.server.consents.length >= 1);
    expect(h.server.consents.length).toBe(1);
    expect(h.server.consents[0]!.body).toMatchObject({
      writeKey: 'demo',
      anonymousId,
      consent: { analytics: true, personalization: true },
    });
    const s = await storage(page);
    expect(s.cookies).toEqual(['attune']);
    expect(s.cookie, 'the consent cookie is HttpOnly').toBe('');
    expect(JSON.stringify(s.localStorage), 'the anonymous id is kept once granted').toContain(anonymousId);
  });

  it('drops the events made before consent on deny, and sends nothing afterwards', async () => {
    const page = await h.open();
    await page.evaluate(() => {
      const a = (window as any).attune;
      for (let n = 1; n <= 3; n++) a.track('Before Deny', { n });
    });
    await sleep(200);
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.consent.set({ analytics: false, personalization: false });
      a.track('After Deny', { n: 4 });
      a.page('After Deny');
      a.identify('user-1');
    });
    await sleep(1100); // longer than the flush interval
    expect(extraRequests(), 'requests after deny').toEqual([]);
    expect(h.server.stats().rawEvents).toBe(0);
    expect(await page.evaluate(() => (window as any).attune.consent.get())).toEqual({
      analytics: false,
      personalization: false,
      decided: true,
    });
    // The refusal itself is remembered (so the banner is not shown again): nothing else.
    const s = await storage(page);
    expect({ ...s, localStorage: undefined }).toEqual({ databases: [], cookie: '', localStorageLength: 1, cookies: [] });
    expectRefusalOnly(s.localStorage);
    // And on the next page of the visit the refusal holds.
    await page.reload();
    await page.waitForFunction(() => !Array.isArray((window as any).attune));
    await page.evaluate(() => (window as any).attune.track('Next Page', { n: 5 }));
    await sleep(1100);
    expect(extraRequests().filter((r) => r !== 'GET /'), 'requests on the next page').toEqual([]);
  });

  it('withdrawal after a grant deletes the IndexedDB database and tells the edge', async () => {
    const page = await h.open();
    await page.evaluate(() => (window as any).attune.consent.set({ analytics: true, personalization: true }));
    await page.evaluate(() => (window as any).attune.track('Granted', { n: 1 }));
    await flush(page);
    await waitFor('the granted event', () => h.server.tracks('Granted').length === 1);
    const anonymousId = h.server.tracks('Granted')[0]!.anonymousId;
    await waitFor('the grant reached the edge', () => h.server.consents.length === 1);
    expect((await storage(page)).databases).toEqual(['attune']);
    expect((await storage(page)).cookies).toEqual(['attune']);

    await page.evaluate(() => (window as any).attune.consent.set({ analytics: false, personalization: false }));
    await waitFor('the withdrawal reached the edge', () => h.server.consents.length === 2);
    expect(h.server.consents[1]!.body).toMatchObject({
      writeKey: 'demo',
      anonymousId,
      consent: { analytics: false, personalization: false },
    });
    await waitFor('the attune database deleted', async () => (await storage(page)).databases.length === 0, 5000);
    await sleep(300); // the acknowledged withdrawal rewrites the stored record
    const s = await storage(page);
    expectRefusalOnly(s.localStorage);
    expect(JSON.stringify(s.localStorage), 'the anonymous id is forgotten').not.toContain(anonymousId);
    expect(s.cookies, 'the edge cleared its cookie').toEqual([]);

    // Nothing is sent or stored after the withdrawal.
    const before = h.server.stats().rawEvents;
    await page.evaluate(() => (window as any).attune.track('Withdrawn', { n: 2 }));
    await sleep(1100);
    expect(h.server.stats().rawEvents).toBe(before);
    // A later grant starts a new visitor: the erased anonymous id is not reused.
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.consent.set({ analytics: true });
      a.track('Granted Again', { n: 3 });
    });
    await waitFor('the event after the new grant', () => h.server.tracks('Granted Again').length === 1);
    expect(h.server.tracks('Granted Again')[0]!.anonymousId).not.toBe(anonymousId);
    expect(h.server.tracks('Withdrawn'), 'the event made while withdrawn').toEqual([]);
  });

  // A flush timer still pending after the withdrawal must not re-create the deleted database.
  it('the IndexedDB database stays deleted after a withdrawal', async () => {
    const page = await h.open();
    await page.evaluate(() => {
      const a = (window as any).attune;
      a.consent.set({ analytics: true, personalization: true });
      a.track('Granted', { n: 1 });
    });
    // Sent at once by flush(); the timer the event started is still pending when the visitor withdraws.
    await flush(page);
    await waitFor('the granted event', () => h.server.tracks('Granted').length === 1);
    await page.evaluate(() => (window as any).attune.consent.set({ analytics: false, personalization: false }));
    await waitFor('the withdrawal reached the edge', () => h.server.consents.length === 2);
    await sleep(1100); // longer than the flush interval
    expect((await storage(page)).databases).toEqual([]);
  });

  it('a granted default keeps one anonymous id across the pages of a visit', async () => {
    h.server.page = { attrs: { 'consent-default': 'granted' } };
    const page = await h.open();
    await waitFor('first page view', () => h.server.pages().length === 1);
    await page.reload();
    await waitFor('second page view', () => h.server.pages().length === 2);
    const [a, b] = h.server.pages();
    expect(b!.anonymousId, 'the same visitor on the second page').toBe(a!.anonymousId);
  });
});
