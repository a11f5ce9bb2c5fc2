// Browser fault: the tab dies while a batch is in flight. The edge stored that batch but its answer never
// reaches a page, so the events are still in the outbox (IndexedDB) when the visitor comes back: the next
// page sends them again and the edge drops the copies by messageId. Counted at the edge: each once.
import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { useStack } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, openTrackerPage, outboxSeqs, prepareContext, track, until, visitorId } from './browser-helpers.js';

const stack = useStack('attune.js');

/**
 * Holds the first batch request after the Worker stored it (its answer is never given), and tracks 20 more
 * events behind it; once the outbox holds all 60, `kill` ends the tab, and a new tab of the context flushes.
 */
async function killMidFlush(name: string, kill: (ctx: BrowserContext, page: import('playwright-core').Page) => Promise<void>) {
  const ctx = await stack.browser.newContext();
  try {
    const id = visitorId(name);
    await prepareContext(ctx, stack.dev.url, id);
    const sw = await batchSwitch(ctx, stack.dev.url);
    let stored = false;
    sw.fault = async (r) => {
      if (stored) return r.continue();
      await r.fetch(); // the edge stores it...
      stored = true;
      await new Promise(() => {}); // ...and the page never hears back
    };
    const page = await openTrackerPage(ctx, stack.dev.url);
    const acknowledged = await track(page, id, 0, 40);
    await until(async () => stored, 'the first batch stored at the edge', 15_000);
    acknowledged.push(...(await track(page, id, 40, 60)));
    // Acknowledged = in the outbox: wait for the last ones to be written before the tab dies.
    await until(async () => (await outboxSeqs(page, id)).length === 60, 'all 60 events in the outbox', 10_000);
    const inFlight = sw.requests[0]!.seqs.length;
    await kill(ctx, page);
    sw.fault = undefined;
    const next = await openTrackerPage(ctx, stack.dev.url);
    const held = await expectExactlyOnce(stack.dev.url, id, id, name, 60, acknowledged);
    console.log(`[faults] ${name}: ${inFlight} events in flight when the tab died, ${sw.requests.length} requests in all`);
    expect(inFlight, 'a batch was in flight').toBeGreaterThan(0);
    await until(async () => (await outboxSeqs(next, id)).length === 0, 'an empty outbox after delivery', 10_000);
    return held;
  } finally {
    await ctx.close();
  }
}

describe('browser fault: tab killed mid-flush', () => {
  it('the renderer crashes (tab killed): the next tab resends the outbox, stored once', async () => {
    await killMidFlush('tab crashed mid-flush', async (ctx, page) => {
      const crashed = page.waitForEvent('crash', { timeout: 15_000 });
      const cdp = await ctx.newCDPSession(page);
      void cdp.send('Page.crash').catch(() => {}); // never answered: the renderer is gone
      await crashed;
      await page.close().catch(() => {});
    });
  }, 120_000);

  it('the tab is closed (pagehide, keepalive): the next tab resends the outbox, stored once', async () => {
    await killMidFlush('tab closed mid-flush', (_ctx, page) => page.close({ runBeforeUnload: true }));
  }, 120_000);
});
