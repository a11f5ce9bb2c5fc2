// Browser fault: the host page fills the origin's storage quota (its own IndexedDB, until QuotaExceededError)
// while the edge is failing, so the tracker can no longer write its outbox. Events it takes then wait in
// memory (the outbox's fallback) beside the ones already stored; once the edge is back each is delivered once.
import { describe, expect, it } from 'vitest';
import { useStack } from '../node/chromium.js';
import { batchSwitch, expectExactlyOnce, faults, openTrackerPage, outboxSeqs, prepareContext, track, until, visitorId } from './browser-helpers.js';

const stack = useStack('attune.js');
/** A small quota for the origin (Chromium's own is a share of the disk): filling it takes a second. */
const QUOTA_BYTES = 8 * 1024 * 1024;

describe('browser fault: storage quota filled by the host page', () => {
  it('events taken while the quota is full wait in memory and are delivered once with the stored ones', async () => {
    const ctx = await stack.browser.newContext();
    try {
      const url = stack.dev.url;
      const id = visitorId('quota');
      await prepareContext(ctx, url, id);
      const sw = await batchSwitch(ctx, url);
      sw.fault = faults.answer(500);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: url, quotaSize: QUOTA_BYTES });
      await page.goto(`${url}/fault.html`);
      await page.waitForFunction(() => typeof (window as unknown as { attune?: { track?: unknown } }).attune?.track === 'function');

      const acknowledged = await track(page, id, 0, 20);
      await until(async () => (await outboxSeqs(page, id)).length === 20, 'the first 20 events in the outbox', 10_000);

      // The host page's own cache: incompressible records until the browser refuses one, then smaller ones until
      // even 64 bytes are refused. Stopping at the first refused 256 KB record left room that held the tracker's
      // small events on some runs (CI), so the fault never reached it.
      const filled = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('host-page-cache');
          r.onupgradeneeded = () => r.result.createObjectStore('blobs');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        let bytes = 0;
        let key = 0;
        let error: string | null = null;
        for (let size = 256 * 1024; size >= 64; size /= 4) {
          for (let i = 0; i < 1000; i++) {
            const chunk = new Uint8Array(size);
            for (let o = 0; o < chunk.length; o += 65536) crypto.getRandomValues(chunk.subarray(o, Math.min(chunk.length, o + 65536)));
            error = await new Promise<string | null>((resolve) => {
              const tx = db.transaction('blobs', 'readwrite');
              tx.objectStore('blobs').put(chunk, key++);
              tx.oncomplete = () => resolve(null);
              tx.onabort = tx.onerror = () => resolve(tx.error?.name ?? 'unknown error');
            });
            if (error) break;
            bytes += chunk.length;
          }
          if (error !== 'QuotaExceededError') break;
        }
        return { bytes, error };
      });
      expect(filled.error, 'the host page hit the quota').toBe('QuotaExceededError');

      acknowledged.push(...(await track(page, id, 20, 60)));
      // The fault reached the tracker: none of the 40 new events could be written to IndexedDB.
      await new Promise((r) => setTimeout(r, 1_000));
      const inIndexedDb = (await outboxSeqs(page, id)).length;
      expect(inIndexedDb, 'the outbox could not grow past the quota').toBe(20);
      await until(async () => sw.requests.some((r) => r.seqs.includes(59)), 'a retry carrying the in-memory events', 20_000);

      sw.fault = undefined;
      await expectExactlyOnce(url, id, id, 'storage quota filled', 60, acknowledged);
      console.log(`[faults] storage quota filled: host page wrote ${(filled.bytes / 1048576).toFixed(1)} MB of ${QUOTA_BYTES / 1048576} MB, ${inIndexedDb} events in IndexedDB and ${60 - inIndexedDb} in memory when the edge came back`);
      await until(async () => (await outboxSeqs(page, id)).length === 0, 'an empty outbox after delivery', 10_000);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
