// Browser fault: the network drops in the middle of a flush. The tracker keeps every event in its outbox
// until the edge answered 2xx, so a lost request is resent and a lost answer is resent too; the edge drops
// the second copy by messageId. Counted at the edge: each acknowledged event exactly once.
import { describe, expect, it } from 'vitest';
import { useStack } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, faults, openTrackerPage, prepareContext, track, until, visitorId } from './browser-helpers.js';

const stack = useStack('attune.js');

describe('browser fault: network drop mid-flush', () => {
  it('a connection reset, then an answer lost after the edge stored the batch: resent, stored once', async () => {
    const ctx = await stack.browser.newContext();
    try {
      const id = visitorId('drop');
      await prepareContext(ctx, stack.dev.url, id);
      const sw = await batchSwitch(ctx, stack.dev.url);
      // First fetch: reset before it reaches the edge. Second: stored by the edge, answer lost. Then through.
      // The beacon the tracker sends after a failed fetch goes through: the edge sees that batch once more.
      let n = 0;
      sw.fault = (r) => (r.request().resourceType() !== 'fetch' ? r.continue() : ++n === 1 ? faults.drop()(r) : n === 2 ? faults.loseAnswer()(r) : r.continue());
      const page = await openTrackerPage(ctx, stack.dev.url);
      const acknowledged = await track(page, id, 0, 40);
      await expectExactlyOnce(stack.dev.url, id, id, 'network reset + lost answer', 40, acknowledged);
      expect(sw.requests.length, 'reset, lost answer, delivered').toBeGreaterThanOrEqual(3);
      // The batch whose answer was lost was sent again: the edge saw its events at least twice and kept them once.
      const times = new Map<number, number>();
      for (const r of sw.requests.slice(1)) for (const s of r.seqs) times.set(s, (times.get(s) ?? 0) + 1);
      expect(Math.min(...acknowledged.map((s) => times.get(s) ?? 0)), 'each event sent again after the lost answer').toBeGreaterThanOrEqual(2);
      console.log(`[faults] network reset + lost answer: ${sw.requests.length} requests (${sw.requests.filter((r) => r.beacon).length} beacons)`);
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('the browser goes offline while a batch is in flight and more events are tracked offline: all sent once back online', async () => {
    const ctx = await stack.browser.newContext();
    try {
      const id = visitorId('offline');
      await prepareContext(ctx, stack.dev.url, id);
      const sw = await batchSwitch(ctx, stack.dev.url);
      // Hold the first request until the network is gone, then let it go out into the dead network.
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let held = false;
      sw.fault = async (r) => {
        if (held) return r.continue();
        held = true;
        await released;
        await r.continue();
      };
      const page = await openTrackerPage(ctx, stack.dev.url);
      const first = await track(page, id, 0, 25);
      await until(async () => held, 'the first batch in flight', 10_000);
      await ctx.setOffline(true);
      release();
      const offlineFrom = Date.now();
      const second = await track(page, id, 25, 50);
      await new Promise((r) => setTimeout(r, 8_000));
      const offlineTo = Date.now();
      // Nothing got through while offline, and the tracker did not hammer the dead network (backoff).
      // Backoff of 0.5–1 s doubling per attempt: 4 attempts in 8 s, at most 5 with the one in flight.
      const attempts = sw.attemptsBetween(offlineFrom, offlineTo);
      expect(attempts, 'attempts while offline').toBeLessThanOrEqual(5);
      await ctx.setOffline(false);
      await expectExactlyOnce(stack.dev.url, id, id, 'offline mid-flush', 50, [...first, ...second]);
      console.log(`[faults] offline mid-flush: ${attempts} fetches (+${sw.between(offlineFrom, offlineTo) - attempts} beacons) in ${offlineTo - offlineFrom} ms offline`);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
