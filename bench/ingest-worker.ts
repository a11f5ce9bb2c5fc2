// The Worker the ingest bench runs under `wrangler dev`: the product's own Worker (packages/edge/src/index.ts),
// unchanged, with its EVENTS (D1) and LOG_QUEUE bindings wrapped to count what it does with them, and a few
// /__bench/ routes that read those counts and the stores. Nothing of this is in the product: only the bench
// builds this entry (startDev's `entry`).
//
// What it counts:
// - D1 on the request path (fetch) and in the log consumer (queue): calls, transactions (batches), statements
//   and rows written (D1's own `meta.rows_written`).
// - What the same requests would have cost before the Queue: ingest wrote one D1 batch per request with the
//   statements logStatements and recStatements build (and one more batch of bot rows when it saw bots). The same
//   functions build them here, on a stand-in database, from each request's log as it went onto the Queue.
// - Queue messages sent and acknowledged, every consumer invocation (messages, events, duration), and when each
//   event's message was acknowledged: the consumer acknowledges after the archive and the D1 transaction resolved.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { Bindings } from '../packages/edge/src/app-env.js';
import worker from '../packages/edge/src/index.js';
import { ensureSchema, logStatements } from '../packages/edge/src/log/event-log.js';
import type { LogMessage } from '../packages/edge/src/log/queue-message.js';
import { recStatements } from '../packages/edge/src/recs/store.js';

export { ProfileWriter } from '../packages/edge/src/index.js';

interface D1Count {
  calls: number;
  batches: number;
  statements: number;
  rowsWritten: number;
  /** wall time spent waiting on D1 calls (they overlap little: the consumer runs one batch at a time locally) */
  ms: number;
  /** the database's size after the latest call (D1's `meta.size_after`) */
  sizeAfter: number;
}
const blank = (): D1Count => ({ calls: 0, batches: 0, statements: 0, rowsWritten: 0, ms: 0, sizeAfter: 0 });

let d1 = { ingest: blank(), consumer: blank() };
/** The statements and transactions the pre-Queue ingest would have run for the requests seen. */
let before = { requests: 0, batches: 0, statements: 0 };
/** messages sent and acknowledged (cumulative), retries and the JSON bytes of the bodies sent (since the last reset) */
let queue = { sent: 0, acked: 0, retried: 0, bytes: 0, messages: 0 };
let invocations: { messages: number; events: number; ms: number }[] = [];
/** Calls the consumer is waiting on (binding.method, since when): a consumer that never returns stops the local Queue. */
const pending = new Map<number, { call: string; since: number }>();
let calls = 0;

/** A binding whose method calls are noted in `pending` while they run. */
function watched<T extends object>(name: string, binding: T): T {
  return new Proxy(binding, {
    get(t, k) {
      const v = Reflect.get(t, k);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r = v.apply(t, args);
        if (!(r instanceof Promise)) return r;
        const id = ++calls;
        pending.set(id, { call: `${name}.${String(k)}`, since: Date.now() });
        return r.finally(() => pending.delete(id));
      };
    },
  });
}
/** event messageId → when the consumer acknowledged its message (ms since the epoch) */
let ackedAt = new Map<string, number>();
/** consumer invocations under way */
let running = 0;
/** While set, consumer invocations wait before they start (BENCH_HOLD_CONSUMER: the request path's CPU alone). */
let held = false;

type Meta = { meta?: { rows_written?: number; size_after?: number } } | null;
/** Adds a result's rows written and notes the database's size. */
function note(c: D1Count, r: unknown) {
  const meta = (r as Meta)?.meta;
  c.rowsWritten += meta?.rows_written ?? 0;
  if (meta?.size_after) c.sizeAfter = meta.size_after;
}

/** D1 counted into `c`. Statements are proxies; a batch gets the real ones back. */
function countingD1(db: D1Database, c: D1Count): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const w = new Proxy(s, {
      get(t, k) {
        if (k === 'bind') return (...values: unknown[]) => wrap(t.bind(...values));
        if (k === 'run' || k === 'all' || k === 'first' || k === 'raw')
          return async (...args: unknown[]) => {
            c.calls++;
            c.statements++;
            const t0 = Date.now();
            const r = await (t[k] as (...a: unknown[]) => Promise<unknown>).apply(t, args);
            c.ms += Date.now() - t0;
            note(c, r);
            return r;
          };
        const v = Reflect.get(t, k);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    real.set(w, s);
    return w;
  };
  return new Proxy(db, {
    get(t, k) {
      if (k === 'prepare') return (sql: string) => wrap(t.prepare(sql));
      if (k === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          c.calls++;
          c.batches++;
          c.statements += statements.length;
          const t0 = Date.now();
          const r = await t.batch(statements.map((s) => real.get(s) ?? s));
          c.ms += Date.now() - t0;
          for (const x of r) note(c, x);
          return r;
        };
      if (k === 'exec')
        return async (sql: string) => {
          c.calls++;
          c.statements += sql.split(';').filter((s) => s.trim()).length;
          return t.exec(sql);
        };
      const v = Reflect.get(t, k);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

/** Builds statements without a database: only their number matters. */
const standIn = { prepare: () => ({ bind: () => ({}) }) } as unknown as D1Database;

/** What the ingest before the Queue ran on D1 for one request whose log is `sent` (ingest/routes.ts at 59515bf). */
function beforeQueue(sent: LogMessage[]) {
  if (!sent.length) return;
  const site = sent[0]!.site;
  const events = sent.flatMap((m) => m.events);
  const recs = recStatements(standIn, site, sent.flatMap((m) => m.recs), sent[0]!.receivedAt).length;
  const bots = sent.reduce((n, m) => n + m.bots.length, 0);
  before.requests++;
  // logEvents: one batch of the insert chunks, the rollup marker and the recommendation increments
  if (events.length || recs) before.batches++;
  before.statements += (events.length ? logStatements(standIn, site, events).length : 0) + recs;
  // bots.flush(): one batch of a row per bot event
  if (bots) (before.batches++, (before.statements += bots));
}

function counted(bodies: LogMessage[]) {
  queue.messages += bodies.length;
  for (const b of bodies) queue.bytes += new TextEncoder().encode(JSON.stringify(b)).length;
}

/**
 * Requests' logs not yet counted: the counting (message bytes, the statements before the Queue) is the bench's own
 * work, so it runs when the counts are read, not on the request path it measures (BENCH_PROFILE found it at ~13% of
 * that path's isolate time when it ran there).
 */
let uncounted: { bodies: LogMessage[]; request?: LogMessage[] }[] = [];
function countNow() {
  for (const u of uncounted) u.request ? beforeQueue(u.request) : counted(u.bodies);
  uncounted = [];
}

function countingQueue(q: Queue<LogMessage>, sent: LogMessage[]): Queue<LogMessage> {
  return new Proxy(q, {
    get(t, k) {
      if (k === 'sendBatch')
        return async (messages: MessageSendRequest<LogMessage>[], options?: QueueSendBatchOptions) => {
          const r = await t.sendBatch(messages, options);
          queue.sent += messages.length;
          uncounted.push({ bodies: messages.map((m) => m.body) });
          sent.push(...messages.map((m) => m.body));
          return r;
        };
      if (k === 'send')
        return async (body: LogMessage, options?: QueueSendOptions) => {
          const r = await t.send(body, options);
          queue.sent++;
          uncounted.push({ bodies: [body] });
          sent.push(body);
          return r;
        };
      const v = Reflect.get(t, k);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

const json = (v: unknown) => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });

/** The bench's own reads: counts, and the stores as the count check needs them (never counted as load). */
async function benchRoute(req: Request, env: Bindings, path: string): Promise<Response> {
  if (path === '/__bench/state') {
    countNow();
    const now = Date.now();
    return json({ d1, before, queue, invocations, running, pending: [...pending.values()].map((p) => `${p.call} for ${now - p.since} ms`) });
  }
  if (path === '/__bench/hold') {
    held = new URL(req.url).searchParams.get('on') === '1';
    return json({ held });
  }
  if (path === '/__bench/reset') {
    uncounted = [];
    d1 = { ingest: blank(), consumer: blank() };
    before = { requests: 0, batches: 0, statements: 0 };
    queue = { sent: queue.sent, acked: queue.acked, retried: 0, bytes: 0, messages: 0 };
    invocations = [];
    ackedAt = new Map();
    return json({ ok: true });
  }
  // POST [[id, …], …] (a request's event ids each) → per request, when its last event was acknowledged by the
  // consumer, or null while any of them is not
  if (path === '/__bench/acked') {
    const groups = (await req.json()) as string[][];
    return json(groups.map((ids) => ids.reduce<number | null>((t, id) => (t === null || !ackedAt.has(id) ? null : Math.max(t, ackedAt.get(id)!)), 0)));
  }
  // POST [id, …] → how many of these event ids the D1 log holds
  if (path === '/__bench/logged') {
    const ids = (await req.json()) as string[];
    await ensureSchema(env.EVENTS); // a poll may come before the consumer's first batch made the table
    const r = await env.EVENTS.prepare("SELECT count(*) AS n FROM events WHERE site = 'demo' AND message_id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).first<{ n: number }>();
    return json(r?.n ?? 0);
  }
  // The bench profiles' events in the D1 log per run (`bench-<run>-<n>` ids; the writers' segment entries left out)
  if (path === '/__bench/log-counts') {
    await ensureSchema(env.EVENTS);
    const { results } = await env.EVENTS.prepare(
      "SELECT rtrim(anonymous_id, '0123456789') AS run, count(*) AS n FROM events WHERE anonymous_id LIKE 'bench-%' AND name NOT IN ('Segment Entered', 'Segment Exited') GROUP BY run",
    ).all<{ run: string; n: number }>();
    // and the whole log beside the database's size: what a logged event costs D1 in storage
    const all = await env.EVENTS.prepare('SELECT count(*) AS n FROM events').first<{ n: number }>();
    const size = (await env.EVENTS.prepare('SELECT 1').run()).meta.size_after ?? 0;
    return json({ runs: Object.fromEntries(results.map((r) => [r.run, r.n])), events: all?.n ?? 0, bytes: size });
  }
  // The same in the R2 archive, read file by file: per run, distinct message ids and rows (copies a client's retry
  // left are rows beyond the distinct ones; readers keep the earliest), and the files and bytes.
  if (path === '/__bench/archive-counts') {
    const runs: Record<string, { ids: Set<string>; rows: number }> = {};
    let files = 0;
    let bytes = 0;
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await env.ARCHIVE.list({ prefix: 'events/site=demo/', cursor });
      for (let i = 0; i < page.objects.length; i += 16)
        await Promise.all(
          page.objects.slice(i, i + 16).map(async (o) => {
            const file = await (await env.ARCHIVE.get(o.key))!.arrayBuffer();
            files++;
            bytes += file.byteLength;
            const rows = (await parquetReadObjects({ file, metadata: parquetMetadata(file), columns: ['message_id', 'anonymous_id', 'event'] })) as { message_id: string; anonymous_id: string | null; event: string | null }[];
            total += rows.length;
            for (const r of rows) {
              if (!r.anonymous_id?.startsWith('bench-') || r.event === 'Segment Entered' || r.event === 'Segment Exited') continue;
              const run = r.anonymous_id.replace(/[0-9]+$/, '');
              const s = (runs[run] ??= { ids: new Set(), rows: 0 });
              s.ids.add(r.message_id);
              s.rows++;
            }
          }),
        );
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return json({ files, bytes, rows: total, runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, { distinct: v.ids.size, rows: v.rows }])) });
  }
  return json({ error: `no bench route ${path}` });
}

export default {
  async fetch(req, env, ctx) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/__bench/')) return benchRoute(req, env, path);
    const sent: LogMessage[] = [];
    const res = await worker.fetch(req, { ...env, EVENTS: countingD1(env.EVENTS, d1.ingest), LOG_QUEUE: countingQueue(env.LOG_QUEUE as Queue<LogMessage>, sent) }, ctx);
    uncounted.push({ bodies: [], request: sent });
    return res;
  },
  scheduled: worker.scheduled,
  async queue(batch, env, ctx) {
    while (held) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    let events = 0;
    const messages = batch.messages.map((m) => {
      const body = m.body as LogMessage;
      events += body?.events?.length ?? 0;
      return {
        id: m.id,
        timestamp: m.timestamp,
        body: m.body,
        attempts: m.attempts,
        ack() {
          m.ack();
          queue.acked++;
          const at = Date.now();
          for (const e of body?.events ?? []) ackedAt.set(e.messageId, at);
        },
        retry(o?: QueueRetryOptions) {
          m.retry(o);
          queue.retried++;
        },
      };
    });
    const counted = { queue: batch.queue, messages, ackAll: () => batch.ackAll(), retryAll: (o?: QueueRetryOptions) => batch.retryAll(o) } as unknown as MessageBatch<unknown>;
    running++;
    try {
      // The consumer no longer waits for the recommendation copies' follow-up passes (it sends itself a delayed
      // note instead, log/consume.ts); the context stays detached so nothing a future change hands to waitUntil
      // holds a batch's acknowledgements here.
      const detached = { waitUntil: (p: Promise<unknown>) => void p.catch(() => {}), passThroughOnException: () => ctx.passThroughOnException() } as ExecutionContext;
      await worker.queue(counted, { ...env, EVENTS: watched('EVENTS', countingD1(env.EVENTS, d1.consumer)), ARCHIVE: watched('ARCHIVE', env.ARCHIVE), PROFILES: watched('PROFILES', env.PROFILES) }, detached);
    } finally {
      running--;
    }
    invocations.push({ messages: messages.length, events, ms: Date.now() - t0 });
  },
} satisfies ExportedHandler<Bindings>;
