// Every event is written here before it is sent and removed only once the edge acknowledged it.
// IndexedDB survives reloads, crashes and closed tabs. idb-keyval (idb's small sibling, ~0.3 KB) opens it
// and reconnects when WebKit closes background tabs' connections; we use its raw store for ranges and counts.
// When IndexedDB is missing or fails (private modes, quota, blocked), events wait in memory and the
// database is tried again on the next call. Nothing here throws.
import { createStore, promisifyRequest as done } from 'idb-keyval';
import type { AttuneEvent } from '../types.js';
import { debug } from '../util.js';

export interface Entry {
  k: IDBValidKey;
  e: AttuneEvent;
}

export function createOutbox(max: number, onDrop: (n: number) => void) {
  const open = () => createStore('attune', 'outbox');
  let use = open();
  let memory: Entry[] = [];
  const tab = Math.random();
  let seq = 0;
  /**
   * Runs `fn` on the store; any failure, even a synchronous one, resolves to undefined. When the visitor or
   * the page deletes the database, our open connection would hold the deletion back until the page goes,
   * and then it would take the events written meanwhile with it: let it go and write to a new one.
   */
  const idb = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>) =>
    (async () =>
      use(mode, (s) => {
        // Close ours, and open a new one on the next call (once the deletion is done, a new database).
        s.transaction.db.onversionchange = function () {
          this.close();
          use = open();
        };
        return fn(s);
      }))().catch(debug);

  return {
    async add(e: AttuneEvent) {
      // Keys sort by time, then by order within this tab; the random part keeps tabs apart.
      const k = [Date.now(), seq++, tab];
      const stored = await idb('readwrite', async (s) => {
        s.put(e, k);
        const keys = await done(s.getAllKeys());
        const over = keys.length - max;
        if (over > 0) s.delete(IDBKeyRange.upperBound(keys[over - 1]!)), onDrop(over);
        return done(s.transaction).then(() => 1);
      });
      // Added one at a time, so the memory holds at most one too many.
      if (!stored && memory.push({ k, e }) > max) memory.shift(), onDrop(1);
    },

    /** The oldest `n` entries, memory first (only this tab holds them, so no other tab can send them). */
    async peek(n: number): Promise<Entry[]> {
      const out = memory.slice(0, n);
      const m = n - out.length;
      const got = m ? await idb('readonly', (s) => Promise.all([done(s.getAllKeys(null, m)), done(s.getAll(null, m))])) : 0;
      got && got[0].forEach((k, i) => out.push({ k, e: got[1][i] }));
      return out;
    },

    async remove(entries: Entry[]) {
      memory = memory.filter((m) => !entries.includes(m));
      await idb('readwrite', (s) => {
        entries.forEach((x) => s.delete(x.k));
        return done(s.transaction);
      });
    },

    /** Consent withdrawn: forget everything, the database included. */
    async destroy() {
      memory = [];
      // Our connection closes itself when the deletion asks (onversionchange above).
      await idb('readonly', () => done(indexedDB.deleteDatabase('attune')));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
