// Group commit: concurrent writers to one store share a write. While a flush runs, what arrives waits and
// goes out together in the next one, so N concurrent requests cost about one round trip (and one commit)
// instead of N. Pure control flow: the flush itself is given.

export interface GroupCommit<T> {
  /** Resolves once `items` are written (in this flush or a later one), rejects if their write failed. */
  add(items: T[], keepAlive?: (flushing: Promise<unknown>) => void): Promise<void>;
}

interface Waiter<T> {
  items: T[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * @param flush writes a group; must be idempotent (a failed group is written again waiter by waiter)
 * @param maxItems how many items one flush takes at most (whole waiters; a single larger waiter goes alone)
 */
export function groupCommit<T>(flush: (items: T[]) => Promise<void>, maxItems: number): GroupCommit<T> {
  let pending: Waiter<T>[] = [];
  let running = false;

  async function loop() {
    running = true;
    try {
      while (pending.length) {
        let n = 0;
        let count = 0;
        while (n < pending.length && (n === 0 || count + pending[n]!.items.length <= maxItems)) count += pending[n++]!.items.length;
        const group = pending.slice(0, n);
        pending = pending.slice(n);
        try {
          await flush(group.flatMap((w) => w.items));
          group.forEach((w) => w.resolve());
        } catch (e) {
          if (group.length === 1) group[0]!.reject(e);
          // One waiter's bad data must not fail the others: write each on its own.
          else
            for (const w of group)
              await flush(w.items).then(w.resolve, w.reject);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    add(items, keepAlive) {
      if (!items.length) return Promise.resolve();
      const done = new Promise<void>((resolve, reject) => pending.push({ items, resolve, reject }));
      if (!running) {
        const flushing = loop();
        // The flush runs in the context of the request that started it; keep it alive for the others even
        // if that request goes away (a client that disconnects must not strand the rest of the group).
        keepAlive?.(flushing);
      }
      return done;
    },
  };
}
