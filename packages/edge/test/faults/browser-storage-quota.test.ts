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
      // even 64 bytes are refused. Chromium's quota accounting lags its writes (usage is settled asynchronously),
      // so a fill can leave room the tracker's small events then take (CI, 2 runs of 10 and again on a fresh
      // clone): the page fills again and the tracker takes ten more, until ten in a row find no room.
      const fill = () =>
        page.evaluate(async () => {
          const w = window as unknown as { fillKey?: number };
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open('host-page-cache');
            r.onupgradeneeded = () => r.result.createObjectStore('blobs');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          let bytes = 0;
          let error: string | null = null;
          for (let size = 256 * 1024; size >= 64; size /= 4) {
            for (let i = 0; i < 1000; i++) {
              const chunk = new Uint8Array(size);
              for (let o = 0; o < chunk.length; o += 65536) crypto.getRandomValues(chunk.subarray(o, Math.min(chunk.length, o + 65536)));
              error = await new Promise<string | null>((resolve) => {
                const tx = db.transaction('blobs', 'readwrite');
                tx.objectStore('blobs').put(chunk, (w.fillKey = (w.fillKey ?? 0) + 1));
                tx.oncomplete = () => resolve(null);
                tx.onabort = tx.onerror = () => resolve(tx.error?.name ?? 'unknown error');
              });
              if (error) break;
              bytes += chunk.length;
            }
            if (error !== 'QuotaExceededError') break;
          }
          db.close();
          return { bytes, error };
        });
      let sent = 20;
      let filledBytes = 0;
      let refusedRound = false;
      for (let round = 0; round < 6 && !refusedRound; round++) {
        const filled = await fill();
        expect(filled.error, 'the host page hit the quota').toBe('QuotaExceededError');
        filledBytes += filled.bytes;
        const before = (await outboxSeqs(page, id)).length;
        acknowledged.push(...(await track(page, id, sent, sent + 10)));
        sent += 10;
        await new Promise((r) => setTimeout(r, 1_000));
        // Nothing leaves the outbox while the edge fails: what did not grow it waits in memory.
        refusedRound = (await outboxSeqs(page, id)).length === before;
      }
      // The fault reached the tracker: ten events in a row could not be written to IndexedDB.
      expect(refusedRound, 'ten events in a row found the outbox full').toBe(true);
      const inIndexedDb = (await outboxSeqs(page, id)).length;
      await until(async () => sw.requests.some((r) => r.seqs.includes(sent - 1)), 'a retry carrying the in-memory events', 20_000);

      sw.fault = undefined;
      await expectExactlyOnce(url, id, id, 'storage quota filled', sent, acknowledged);
      console.log(`[faults] storage quota filled: host page wrote ${(filledBytes / 1048576).toFixed(1)} MB of ${QUOTA_BYTES / 1048576} MB, ${inIndexedDb} events in IndexedDB and ${sent - inIndexedDb} in memory when the edge came back`);
      await until(async () => (await outboxSeqs(page, id)).length === 0, 'an empty outbox after delivery', 10_000);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
