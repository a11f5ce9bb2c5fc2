// IndexedDB unavailable or failing (private modes, blocked storage, quota): the tracker falls back to
// memory and the session's events are still delivered, without an error reaching the page.
import { describe, expect, it } from 'vitest';
import { expectEachOnce, flush, report, sleep, trackMany, useBrowser, waitDelivered, waitFor } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

const BLOCKS = {
  'indexedDB.open throws': `IDBFactory.prototype.open = function () { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); };`,
  'window.indexedDB is undefined': `Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });`,
  'the open request fails': `IDBFactory.prototype.open = function () {
      const req = new EventTarget();
      setTimeout(() => { req.error = new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); req.onerror && req.onerror(new Event('error')); });
      return req;
    };`,
  'writes fail (quota)': `IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };`,
};

describe('IndexedDB blocked', () => {
  for (const [how, script] of Object.entries(BLOCKS))
    it(`delivers the session's events when ${how}`, async () => {
      await h.context.addInitScript(script);
      const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
      await waitFor('the page view', () => h.server.pages().length === 1);
      await trackMany(page, 'Session Event', 1, 10);
      await flush(page);
      await trackMany(page, 'Session Event', 11, 10);
      await waitDelivered(h.server, 'Session Event', 20);
      await sleep(1100);
      expectEachOnce(h.server, 'Session Event', range(1, 20));
      const s = h.server.stats();
      expect(s.rawEvents - s.unique, 'events sent twice').toBe(0);
      // Withdrawing still works without a database.
      await page.evaluate(() => (window as any).attune.consent.set({ analytics: false, personalization: false }));
      await waitFor('the withdrawal', () => h.server.consents.some((c) => c.body?.consent?.analytics === false));
      report(`IndexedDB blocked (${how})`, s, '(20 events + page view)');
    });
});
