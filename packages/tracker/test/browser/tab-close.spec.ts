// A tab closed in the middle of a flush (the edge holds the response), the page opened again in the same
// browser: every event is delivered, none twice after the messageId dedupe.
import { describe, expect, it } from 'vitest';
import { expectEachOnce, report, sleep, trackMany, useBrowser, waitDelivered, waitFor } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('tab closed mid-flush', () => {
  for (const edge of ['processed the batch (answer lost)', 'never processed the batch (connection dropped)'] as const)
    it(`reopened page delivers everything when the edge ${edge}`, async () => {
      const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
      await waitFor('the page view', () => h.server.pages().length === 1);

      h.server.hold(1);
      await trackMany(page, 'Cart Updated', 1, 5);
      await page.evaluate(() => void (window as any).attune.flush()); // not awaited: the answer never comes
      await h.server.whenHeld();
      await trackMany(page, 'Cart Updated', 6, 3); // stored, not in the held batch
      await sleep(100);
      await page.close();
      if (edge.startsWith('processed')) h.server.release(200);
      else h.server.drop();
      const heldEvents = h.server.batches.at(-1)!.events.length;

      await h.open('/'); // same context: the same visitor's browser
      await waitDelivered(h.server, 'Cart Updated', 8);
      await sleep(1100);
      expectEachOnce(h.server, 'Cart Updated', range(1, 8));
      const s = h.server.stats();
      // When the edge never processed the held request, Chromium (or the tracker's sendBeacon fallback) may
      // send that body again by itself: a raw duplicate the edge drops by messageId, as it is meant to.
      report(`tab closed mid-flush, edge ${edge}`, s, `(8 events; ${heldEvents} in the held request)`);
    });
});
