// The JavaScript heap of the Worker's isolate under `wrangler dev`, read through its V8 inspector after a
// forced garbage collection: what Attune's own code holds (profiles, caches, objects' state), apart from the
// native memory of the local runtime (its SQLite databases for D1, KV and the objects' storage).
import WebSocket from 'ws';

/**
 * @param inspector the WebSocket URL of the Worker's inspector (edge-helpers.ts inspectorOf)
 * @param wake makes the Worker handle a request: workerd answers the inspector only while its isolate runs, so
 *   a command sent while it idles waits for the next request.
 */
export async function isolateHeap(inspector: string, wake: () => Promise<unknown>) {
  const ws = new WebSocket(inspector);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let id = 0;
  const pending = new Map<number, (r: { result?: Record<string, unknown>; error?: unknown }) => void>();
  ws.on('message', (m) => {
    const d = JSON.parse(String(m)) as { id?: number; result?: Record<string, unknown>; error?: unknown };
    if (d.id !== undefined) pending.get(d.id)?.(d), pending.delete(d.id);
  });
  const send = (method: string) => {
    const answer = new Promise<Record<string, unknown>>((ok, fail) => {
      const i = ++id;
      pending.set(i, (r) => (r.error ? fail(new Error(`${method}: ${JSON.stringify(r.error)}`)) : ok(r.result ?? {})));
      ws.send(JSON.stringify({ id: i, method }));
    });
    void wake().catch(() => undefined);
    const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`the inspector did not answer ${method} in 30 s`)), 30_000).unref());
    return Promise.race([answer, timeout]);
  };
  await send('HeapProfiler.enable');
  return {
    /** Used heap in MB after a full garbage collection. */
    async usedMb(): Promise<number> {
      await send('HeapProfiler.collectGarbage');
      return Number((await send('Runtime.getHeapUsage')).usedSize) / 1_048_576;
    },
    close: () => ws.close(),
  };
}
