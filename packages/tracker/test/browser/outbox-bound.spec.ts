// The outbox is bounded: past 1,000 waiting events the oldest are dropped — and counted, reported to the
// edge with the next batch and warned about in the console, never lost silently.
import { describe, expect, it } from 'vitest';
import { expectEachOnce, flush, report, sleep, trackMany, useBrowser, waitDelivered, waitFor } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** Events stored in the tracker's IndexedDB outbox. */
const stored = (page: import('playwright-core').Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('attune');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').count();
          req.onsuccess = () => (open.result.close(), resolve(req.result));
        };
      }),
  );

describe('outbox bound', () => {
  it('keeps the newest 1,000 events while the network is down, and reports the dropped ones', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    // And its removal from the outbox: the edge has it before the tracker has the answer, and a page view still
    // stored would be the oldest of 1,001, dropped and counted (11, not 10, in a fresh-clone run).
    await waitFor('the outbox emptied', async () => (await stored(page)) === 0, 10_000, 25);
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));

    await h.context.setOffline(true);
    await trackMany(page, 'Queued', 1, 1010);
    await waitFor('the outbox to fill', async () => (await stored(page)) === 1000, 20_000, 100);
    await sleep(300);
    expect(await stored(page), 'the outbox holds at most 1,000').toBe(1000);
    expect(warnings.some((w) => /dropped/.test(w)), 'a console warning says events were dropped').toBe(true);

    await h.context.setOffline(false);
    await flush(page);
    await waitDelivered(h.server, 'Queued', 1000, 30_000);
    expectEachOnce(h.server, 'Queued', range(11, 1000)); // the 10 oldest are the ones dropped
    expect(h.server.tracks('Queued').some((e) => (e.properties as { n: number }).n <= 10)).toBe(false);
    expect(Math.max(...h.server.batches.map((b) => Number(b.body?.dropped ?? 0))), 'dropped count reported to the edge').toBe(10);
    report('outbox bound', h.server.stats(), '(1,010 events made offline, the 10 oldest dropped and counted)');
  });
});
