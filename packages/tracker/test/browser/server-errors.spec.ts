// The edge answering 500 for a while, or 429 with Retry-After: every event is retried until acknowledged,
// delivered exactly once after the messageId dedupe, never re-created with a new messageId.
import { describe, expect, it } from 'vitest';
import { expectEachOnce, flush, report, sleep, trackMany, useBrowser, waitDelivered, waitFor } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const trace = () => h.server.batches.map((b) => `+${b.at - h.server.batches[0]!.at}ms ${b.status ?? 'held'} ×${b.events.length}`).join(', ');

describe('server errors', () => {
  it('500 for a while, then 200: every event exactly once', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    await sleep(300); // the page view's answer is back: no request in flight (see the stall below)
    h.server.failFor(2500, 500);
    await trackMany(page, 'Order Completed', 1, 20);
    await waitDelivered(h.server, 'Order Completed', 20, 20_000);
    await sleep(1100);
    const failed = h.server.batches.filter((b) => b.status === 500).length;
    expect(failed, 'requests answered 500').toBeGreaterThanOrEqual(2);
    expectEachOnce(h.server, 'Order Completed', range(1, 20));
    const s = h.server.stats();
    // A batch answered 500 was not processed, so its events come again — once, after the answer.
    expect(s.duplicates, 'accepted twice').toBe(0);
    report('500 for 2.5 s then 200', s, `(20 events; ${failed} requests answered 500; ${trace()})`);
  });

  it('429 with Retry-After: waits at least that long, then every event exactly once', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    await sleep(300);
    h.server.failNext(2, 429, '1');
    await trackMany(page, 'Product Viewed', 1, 15);
    await waitDelivered(h.server, 'Product Viewed', 15, 20_000);
    await sleep(1100);
    const b = h.server.batches;
    const throttled = b.filter((x) => x.status === 429);
    expect(throttled.length).toBe(2);
    const gaps = throttled.map((t) => b[b.indexOf(t) + 1]!.at - t.at);
    for (const g of gaps) expect(g, 'ms until the retry after a 429 with Retry-After: 1').toBeGreaterThanOrEqual(950);
    expectEachOnce(h.server, 'Product Viewed', range(1, 15));
    const s = h.server.stats();
    expect(s.duplicates).toBe(0);
    report('429 Retry-After: 1 ×2 then 200', s, `(15 events; gaps after 429: ${gaps.join(', ')} ms)`);
  });

  // A flush that cannot run now (backing off, or a request in flight) schedules itself for when it can,
  // even while an earlier flush timer is pending.
  it('retries after a failure that happened while a flush timer was pending', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    h.server.failNext(1, 429, '1');
    await trackMany(page, 'Checkout Started', 1, 5);
    await flush(page); // answered 429 while the timer of the 5 events is pending
    await waitDelivered(h.server, 'Checkout Started', 5, 3500).finally(() => console.log(`[retry stall] ${trace()}`));
    expectEachOnce(h.server, 'Checkout Started', range(1, 5));
  });

  it('400 naming one invalid event: only that one is dropped (with a warning), the rest is delivered', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    await sleep(300);
    let refused = '';
    h.server.failNext(1, 400, undefined, (req) => {
      const i = req.events.findIndex((e) => e.properties?.n === 3);
      refused = req.events[i]!.messageId;
      return { success: false, error: 'invalid events', rejected: [{ index: i, messageId: refused, path: `batch[${i}].properties`, message: 'bad' }] };
    });
    await trackMany(page, 'Signup', 1, 5);
    await waitFor('4 events delivered', () => h.server.tracks('Signup').length === 4, 15_000);
    await sleep(1100);
    expect(h.server.tracks('Signup').map((e) => e.properties?.n).sort()).toEqual([1, 2, 4, 5]);
    expect(h.server.receivedCount(refused), 'the refused event is not sent again').toBe(1);
    expect(h.console.some((m) => m.startsWith('[warning]') && m.includes('400')), 'a console warning').toBe(true);
    report('400 naming 1 of 5 events', h.server.stats());
  });
});
