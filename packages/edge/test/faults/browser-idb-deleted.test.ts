// Browser fault: the visitor deletes the site's IndexedDB while the page is open and a batch is in flight —
// from the browser's "clear site data" (which closes open connections) or from the page itself with
// indexedDB.deleteDatabase (which waits for them). The tracker must keep working: the batch in flight is
// acknowledged, events taken after the deletion are kept in a database that outlives it (they reach the
// edge from the next page when the edge was down meanwhile), and nothing is stored twice.
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useStack } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, faults, openTrackerPage, outboxSeqs, prepareContext, track, until, visitorId } from './browser-helpers.js';

const stack = useStack('attune.js');

/**
 * 20 events delivered; 20 more whose batch the edge holds (stored, answer pending) while `deleteDb` runs.
 * Then the edge fails (500) while 20 more are tracked, and the page is left: those wait in the outbox, which
 * must be a database that outlives the deletion. The next page delivers them and 20 more, each once.
 */
async function deleteMidFlush(name: string, deleteDb: (ctx: BrowserContext, page: Page) => Promise<string>) {
  const ctx = await stack.browser.newContext();
  try {
    const url = stack.dev.url;
    const id = visitorId(name);
    await prepareContext(ctx, url, id);
    const sw = await batchSwitch(ctx, url);
    const page = await openTrackerPage(ctx, url);
    const acknowledged = await track(page, id, 0, 20);
    await until(async () => sw.requests.length === 1 && (await outboxSeqs(page, id)).length === 0, 'the first 20 delivered', 15_000);

    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    let held = false;
    sw.fault = async (r) => {
      const res = await r.fetch();
      held = true;
      await answered;
      await r.fulfill({ response: res });
    };
    acknowledged.push(...(await track(page, id, 20, 40)));
    await until(async () => held, 'the second batch stored at the edge', 15_000);
    const outcome = await deleteDb(ctx, page);
    answer();
    await until(async () => sw.requests.length >= 2, 'the second batch answered', 5_000);

    // The edge goes down; what is tracked now waits in the outbox while the visitor moves to the next page.
    sw.fault = faults.answer(500);
    acknowledged.push(...(await track(page, id, 40, 60)));
    await until(async () => sw.requests.some((r) => r.seqs.includes(59)), 'a failed attempt with the events tracked after the deletion', 15_000);
    // (Not read from here: a deletion the tracker's connection holds back would hold the read back too.)
    await page.close({ runBeforeUnload: true });
    sw.fault = undefined;
    const next = await openTrackerPage(ctx, url);
    acknowledged.push(...(await track(next, id, 60, 80)));
    await expectExactlyOnce(url, id, id, name, 80, acknowledged, { ms: 30_000 });
    console.log(`[faults] ${name}: deletion ${outcome}, ${sw.requests.length} requests in all`);
    await until(async () => (await outboxSeqs(next, id)).length === 0, 'an empty outbox after delivery', 10_000);
  } finally {
    await ctx.close();
  }
}

describe('browser fault: IndexedDB deleted by the user while the page is open', () => {
  it('"clear site data" (connections closed by the browser) mid-flush: later events still delivered, each once', async () => {
    await deleteMidFlush('IndexedDB cleared by the browser', async (ctx, page) => {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Storage.clearDataForOrigin', { origin: stack.dev.url, storageTypes: 'indexeddb' });
      const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      return `cleared (databases left: ${names.join(', ') || 'none'})`;
    });
  }, 120_000);

  it('indexedDB.deleteDatabase from the page mid-flush: later events still delivered, each once', async () => {
    await deleteMidFlush('IndexedDB deleted by the page', (_ctx, page) =>
      page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const r = indexedDB.deleteDatabase('attune');
            r.onsuccess = () => resolve('done at once');
            r.onerror = () => resolve(`failed: ${r.error?.name}`);
            // The tracker's open connection holds the deletion back; it stays pending.
            r.onblocked = () => resolve('blocked by the open connection');
            setTimeout(() => resolve('pending after 2 s'), 2_000);
          }),
      ),
    );
  }, 120_000);
});
