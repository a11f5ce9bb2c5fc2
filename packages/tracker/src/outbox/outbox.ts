// Every event is written here before it is sent and removed only once the edge acknowledged it.
// IndexedDB survives reloads, crashes and closed tabs; we use its raw store for ranges and counts, with
// idb-keyval's promisifyRequest (idb's small sibling).
// An event waits in memory until a second after the page has loaded (`ready`, with the first send): the database
// is not opened while the page starts. After that, each event is written at once, with any others made in the same
// task, in one transaction. A page left before an event's write committed sends it from memory (`unsaved`).
// When IndexedDB is missing or fails (private modes, quota, blocked), events stay in memory, are sent from
// there, and the database is tried again on the next write. Nothing here throws.
import { promisifyRequest as done } from 'idb-keyval';
import type { AttuneEvent } from '../types.js';
import { debug, now } from '../util.js';

export interface Entry {
  k: IDBValidKey;
  e: AttuneEvent;
}

/** @param ready settles a second after the page has loaded: nothing is written before (the database is not even opened) */
export function createOutbox(max: number, onDrop: (n: number) => void, ready: Promise<unknown>) {
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

  /**
   * Writes what waits in memory to the database, the oldest dropped past `max`. Entries leave memory only once their
   * write has committed: a page left meanwhile aborts it, and `unsaved` must still name them. Writes run one after
   * another, so each takes only what the one before left (a thousand events in one task make one write, not a
   * thousand of a thousand).
   */
  let saving: Promise<unknown> = ready;
  const save = () =>
    (saving = saving.then(
      (): unknown =>
        memory.length &&
        idb('readwrite', async (s) => {
          const moving = memory.slice();
          moving.forEach((x) => s.put(x.e, x.k));
          const keys = await done(s.getAllKeys());
          const over = keys.length - max;
          if (over > 0) s.delete(IDBKeyRange.upperBound(keys[over - 1]!)), onDrop(over);
          await done(s.transaction);
          memory = memory.filter((x) => !moving.includes(x));
        }),
    ));

  return {
    /**
     * Keeps `e` in memory and stores it (once the page's start is over) with any others made in the same task: a
     * visitor may leave right after, and only stored events survive a closed tab.
     */
    add(e: AttuneEvent) {
      // Keys sort by time, then by order within this tab; the random part keeps tabs apart.
      if (memory.push({ k: [now(), seq++, tab], e }) > max) memory.shift(), onDrop(1);
      void save();
    },

    save,

    /** What only this page holds: not yet stored, or in a write not yet committed. */
    unsaved: () => memory,

    /**
     * The oldest `n` entries. The database is read first: an entry whose write commits meanwhile has left memory by
     * the time the read answers (the read's transaction waits for the write's), so no entry comes twice.
     */
    async peek(n: number): Promise<Entry[]> {
      const got = await idb('readonly', (s) => Promise.all([done(s.getAllKeys(null, n)), done(s.getAll(null, n))]));
      return (got ? got[0].map((k, i): Entry => ({ k, e: got[1][i] })) : []).concat(memory).slice(0, n);
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
