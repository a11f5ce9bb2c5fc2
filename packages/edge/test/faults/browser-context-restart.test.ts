// Browser fault: the browser (or its context) goes away with a batch in flight and more events waiting, and
// comes back with what it had stored. The outbox lives in IndexedDB, so the restarted browser sends it all;
// the edge drops the copies of the batch it had stored already. Counted at the edge: each event once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CHROME_UA, launchChromium } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, faults, launchPersistent, openTrackerPage, outboxSeqs, prepareContext, track, until, useDev, visitorId } from './browser-helpers.js';

const stack = useDev();

/**
 * In `ctx`: the first batch is stored at the edge but never answered, every later one fails (500); 40 then 30
 * events are tracked and all 70 are in the outbox when the context is restarted (`restart` returns the new one).
 */
async function restartMidFlush(name: string, ctx: BrowserContext, restart: (ctx: BrowserContext) => Promise<BrowserContext>) {
  const url = stack.dev.url;
  const id = visitorId(name);
  await prepareContext(ctx, url, id);
  const sw = await batchSwitch(ctx, url);
  let stored = false;
  sw.fault = async (r) => {
    if (stored) return faults.answer(500)(r);
    await r.fetch();
    stored = true;
    await new Promise(() => {}); // the answer never comes
  };
  const page = await openTrackerPage(ctx, url);
  const acknowledged = await track(page, id, 0, 40);
  await until(async () => stored, 'the first batch stored at the edge', 15_000);
  acknowledged.push(...(await track(page, id, 40, 70)));
  await until(async () => (await outboxSeqs(page, id)).length === 70, 'all 70 events in the outbox', 10_000);
  const inFlight = sw.requests[0]!.seqs.length;

  const next = await restart(ctx);
  try {
    await prepareContext(next, url, id);
    const after = await batchSwitch(next, url);
    const page2 = await openTrackerPage(next, url);
    await expectExactlyOnce(url, id, id, name, 70, acknowledged);
    console.log(`[faults] ${name}: ${inFlight} events in flight at the restart, ${after.requests.length} request(s) after it`);
    expect(inFlight, 'a batch was in flight').toBeGreaterThan(0);
    await until(async () => (await outboxSeqs(page2, id)).length === 0, 'an empty outbox after delivery', 10_000);
  } finally {
    await next.close();
  }
}

describe('browser fault: browser context restarted', () => {
  it('the browser process quits mid-flush and is started again on the same profile: stored once', async () => {
    const profileDir = mkdtempSync(join(tmpdir(), 'attune-fault-profile-'));
    const first = await launchPersistent(profileDir);
    try {
      await restartMidFlush('browser restarted mid-flush', first, async (ctx) => {
        await ctx.close(); // the browser process exits
        return launchPersistent(profileDir);
      });
    } finally {
      await first.close().catch(() => {});
      rmSync(profileDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the context is closed mid-flush and a fresh one starts with its storage state (IndexedDB included): stored once', async () => {
    const browser = await launchChromium();
    try {
      const first = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
      await restartMidFlush('context restarted mid-flush', first, async (ctx) => {
        const storageState = await ctx.storageState({ indexedDB: true });
        await ctx.close();
        return browser.newContext({ storageState, userAgent: DESKTOP_CHROME_UA });
      });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
