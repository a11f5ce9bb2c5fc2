// Two tabs of one visitor tracking at the same time share one outbox: every event delivered, none twice.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectEachOnce, flush, report, sleep, trackMany, useBrowser, waitDelivered } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

async function burst(page: Page, from: number) {
  for (let i = 0; i < 6; i++) {
    await trackMany(page, 'Tab Event', from + i * 5, 5);
    if (i % 2) await flush(page);
    await sleep(150);
  }
}

describe('two tabs of one visitor', () => {
  it('no duplicates, all delivered', async () => {
    const a = await h.open('/');
    await a.evaluate(() => (window as any).attune.consent.set({ analytics: true, personalization: true }));
    const b = await h.open('/');
    await Promise.all([burst(a, 1), burst(b, 101)]);
    await Promise.all([flush(a), flush(b)]);
    await waitDelivered(h.server, 'Tab Event', 60);
    await sleep(1100);
    expectEachOnce(h.server, 'Tab Event', [...range(1, 30), ...range(101, 30)]);
    const s = h.server.stats();
    expect(s.rawEvents - s.unique, 'events sent twice').toBe(0);
    expect(new Set(h.server.events().map((e) => e.anonymousId)).size, 'one visitor: one anonymous id').toBe(1);
    report('two tabs', s, '(60 events, 30 per tab, + 2 page views)');
  });
});
