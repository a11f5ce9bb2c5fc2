// Browser fault: the edge answers 500, or 429 with Retry-After, for a whole minute. The tracker must back
// off (a few requests in the minute, not a stream of them), honour Retry-After, keep every event, and deliver
// each exactly once when the edge is back. The two minutes run side by side, each in its own context.
import { describe, type ExpectStatic, it } from 'vitest';
import { useStack } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, faults, openTrackerPage, prepareContext, track, until, visitorId } from './browser-helpers.js';

const stack = useStack('attune.js');
const OUTAGE_MS = 60_000;

/**
 * Tracks 30 events, fails every batch request for a minute from the first one (30 more are tracked halfway),
 * then lets the edge answer. Returns the fetches the tracker made during the minute, with their times.
 */
async function outage(name: string, answer: ReturnType<typeof faults.answer>, expect: ExpectStatic) {
  const ctx = await stack.browser.newContext();
  try {
    const id = visitorId(name);
    await prepareContext(ctx, stack.dev.url, id);
    const sw = await batchSwitch(ctx, stack.dev.url);
    sw.fault = answer;
    const page = await openTrackerPage(ctx, stack.dev.url);
    const acknowledged = await track(page, id, 0, 30);
    await until(async () => sw.requests.length > 0, 'the first batch request', 10_000);
    const from = sw.requests[0]!.at;
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    acknowledged.push(...(await track(page, id, 30, 60)));
    await new Promise((r) => setTimeout(r, from + OUTAGE_MS - Date.now()));
    sw.fault = undefined;
    const during = sw.requests.filter((r) => r.at < from + OUTAGE_MS);
    // The last attempt of the minute may have been told to wait up to a minute more.
    await expectExactlyOnce(stack.dev.url, id, id, `${name} for a minute`, 60, acknowledged, { ms: 75_000, expect });
    const attempts = during.filter((r) => !r.beacon);
    const gaps = attempts.slice(1).map((r, i) => r.at - attempts[i]!.at);
    console.log(`[faults] ${name} for a minute: ${attempts.length} requests during the minute (gaps ${gaps.map((g) => (g / 1000).toFixed(1)).join(', ')} s), delivered ${((Date.now() - from - OUTAGE_MS) / 1000).toFixed(1)} s after it`);
    expect(during.length - attempts.length, 'no beacons: the edge answered').toBe(0);
    return { attempts, gaps };
  } finally {
    await ctx.close();
  }
}

describe.concurrent('browser fault: the edge fails for a minute', () => {
  it('500 for a minute: exponential backoff, then every event once', async ({ expect }) => {
    const { attempts, gaps } = await outage('500', faults.answer(500), expect);
    // 0.5–1 s doubling per attempt (capped at a minute): at most 7 in a minute. It kept trying, and never faster than the first step.
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(attempts.length).toBeLessThanOrEqual(8);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(450);
    // Each wait at least as long as half of the one before (jitter is 50–100% of a doubling step).
    gaps.slice(1).forEach((g, i) => expect(g, `gap ${i + 2}`).toBeGreaterThanOrEqual(gaps[i]! * 0.9));
  }, 200_000);

  it('429 with Retry-After: 15 for a minute: waits as told, then every event once', async ({ expect }) => {
    const { attempts, gaps } = await outage('429', faults.answer(429, { 'retry-after': '15' }), expect);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.length).toBeLessThanOrEqual(5);
    for (const g of gaps) expect(g, 'Retry-After honoured').toBeGreaterThanOrEqual(14_500);
  }, 200_000);
});
