// Calls the writers of one batch a bounded number at a time. A 500-event batch from a server library or an
// import can name 500 profiles (and each may link others): opened all at once, that is a burst of hundreds of
// Durable Objects for one request — locally, hundreds of SQLite databases opened together, which ran the
// runtime out of memory (SQLITE_NOMEM) and restarted it mid-import.

/** Runs `fn` over `items`, at most `limit` at a time; results in the order of `items`. Rejects with the first failure. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Writers called at once per ingest request. */
export const WRITERS_AT_ONCE = 32;
