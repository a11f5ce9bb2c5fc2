// Every event is written here before it is sent and removed only once the edge acknowledged it.
// IndexedDB survives reloads, crashes and closed tabs; we use its raw store for ranges and counts, with
// idb-keyval's promisifyRequest (idb's small sibling).
// An event waits in memory until the page has loaded (`ready`): the database is not opened while the page
// loads, and a flush meanwhile (the page being left) writes what waits before it sends. After that, each event
// is written at once, with any others made in the same task, in one transaction.
// When IndexedDB is missing or fails (private modes, quota, blocked), events stay in memory, are sent from
// there, and the database is tried again on the next write. Nothing here throws.
import { promisifyRequest as done } from 'idb-keyval';
import type { AttuneEvent } from '../types.js';
import { debug, now } from '../util.js';

export interface Entry {
  k: IDBValidKey;
  e: AttuneEvent;
}

export function createOutbox(max: number, onDrop: (n: number) => void) {
  let db: Promise<IDBDatabase> | undefined;
  let memory: Entry[] = [];
  const tab = Math.random();
  let seq = 0;
  /**
   * The connection, opened on first use. It is let go when the browser closes it (WebKit does, in background
   * tabs) and when the visitor or the page deletes the database: ours would hold the deletion back until the
   * page goes, and the events written meanwhile would go with it. The next call opens a new one.
   */
  const connect = () => {
    if (!db) {
      const r = indexedDB.open('attune');
      r.onupgradeneeded = () => r.result.createObjectStore('outbox');
      (db = done(r)).then(
        (d) => void (d.onclose = d.onversionchange = () => (d.close(), (db = undefined))),
        () => (db = undefined),
      );
    }
    return db;
  };
  /** Runs `fn` on the store; any failure, even a synchronous one, resolves to undefined. */
  const idb = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>) =>
    (async () => fn((await connect()).transaction('outbox', mode).objectStore('outbox')))().catch(debug);

  /** Writes what waits in memory to the database, the oldest dropped past `max`. */
  const save = async () => {
    if (memory.length)
      await idb('readwrite', async (s) => {
        // Out of memory as the write starts, back if it fails: a flush meanwhile finds each entry in one place.
        const moving = memory.splice(0);
        try {
          moving.forEach((x) => s.put(x.e, x.k));
          const keys = await done(s.getAllKeys());
          const over = keys.length - max;
          if (over > 0) s.delete(IDBKeyRange.upperBound(keys[over - 1]!)), onDrop(over);
          await done(s.transaction);
        } catch (e) {
          memory.unshift(...moving);
          throw e;
        }
      });
  };

  return {
    /** Keeps `e` in memory, for `save` (which the tracker calls once the page has loaded). */
    add(e: AttuneEvent) {
      // Keys sort by time, then by order within this tab; the random part keeps tabs apart.
      if (memory.push({ k: [now(), seq++, tab], e }) > max) memory.shift(), onDrop(1);
    },

    save,

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
      // An open connection of ours closes itself when the deletion asks (connect() above).
      await (async () => done(indexedDB.deleteDatabase('attune')))().catch(debug);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
