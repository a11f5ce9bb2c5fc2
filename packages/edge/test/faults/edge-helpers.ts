// Shared by the edge fault tests: the processes of one `wrangler dev` (found by its own state directory, so
// other people's stacks on this machine are never touched), a load client that retries like a Segment
// client, and counts of what the edge stored (admin export: the profile's counters and its event log).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Process ids whose command line mentions `needle` (e.g. the stack's state directory). */
function pidsMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(needle)) out.push(Number(d));
    } catch {} // gone meanwhile
  }
  return out;
}

/** Field of /proc/<pid>/stat after the command name (which may hold spaces): index 0 is the state. */
const statFields = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
};

/** The process group `startDev` made for npx → wrangler → workerd, found by the stack's state directory. */
export function processGroupOf(stateDir: string): number {
  const groups = new Set(pidsMentioning(stateDir).map((p) => Number(statFields(p)[2])));
  if (groups.size !== 1) throw new Error(`expected one process group for ${stateDir}, found ${[...groups].join(', ') || 'none'}`);
  return [...groups][0]!;
}

/**
 * The workerd process of that group that runs the Worker, its objects and its storage. `wrangler dev` starts
 * two: the other one is its local proxy (the entry port), which holds no file of the state directory.
 */
export function workerdOf(group: number, stateDir: string): number {
  const found: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'workerd' || Number(statFields(Number(d))[2]) !== group) continue;
      if (readdirSync(`/proc/${d}/fd`).some((fd) => safeLink(`/proc/${d}/fd/${fd}`).startsWith(stateDir))) found.push(Number(d));
    } catch {}
  }
  if (found.length !== 1) throw new Error(`expected one workerd holding ${stateDir} in group ${group}, found ${found.length}`);
  return found[0]!;
}
const safeLink = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
};

/**
 * The V8 inspector of one Worker (by its name in wrangler.toml, e.g. `attune`, the visitor) in that workerd process.
 * wrangler's own inspector port serves one Worker of a multi-config run, and it picks the last config's (the
 * workplace); workerd's own inspector, on a port it chose, lists every Worker. Found by the process's listening
 * sockets, then by workerd's target list.
 */
export async function inspectorOf(workerd: number, worker: string): Promise<string> {
  const sockets = new Set(
    readdirSync(`/proc/${workerd}/fd`)
      .map((fd) => safeLink(`/proc/${workerd}/fd/${fd}`))
      .filter((l) => l.startsWith('socket:['))
      .map((l) => l.slice(8, -1)),
  );
  const listening: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const c = line.trim().split(/\s+/); // sl local rem st … inode (column 9); st 0A: LISTEN
      if (c[3] === '0A' && sockets.has(c[9]!)) listening.push(parseInt(c[1]!.split(':').pop()!, 16));
    }
  for (const port of listening) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
      const t = targets.find((x) => x.id === `core:user:${worker}`);
      if (t) return t.webSocketDebuggerUrl;
    } catch {} // not an inspector
  }
  throw new Error(`no inspector of the Worker "${worker}" among workerd ${workerd}'s listening ports ${listening.join(', ')}`);
}

/**
 * Resident memory in MB: all of it (VmRSS), the process's own (RssAnon: heaps, isolates, stacks) and
 * file pages mapped in (RssFile: the binary, and the SQLite files of local KV, D1 and the objects).
 */
export function memoryMb(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const kb = new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(status)?.[1];
    if (!kb) throw new Error(`no ${name} for ${pid}`);
    return Number(kb) / 1024;
  };
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

/** SIGKILL: no shutdown hooks, no flush; the way a crash or an OOM kill ends the process. */
export async function killGroup(group: number): Promise<void> {
  process.kill(-group, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (readdirSync('/proc').some((d) => /^\d+$/.test(d) && safeGroup(Number(d)) === group)) {
    if (Date.now() > deadline) throw new Error(`process group ${group} still alive 10 s after SIGKILL`);
    await sleep(100);
  }
}
const safeGroup = (pid: number) => {
  try {
    return Number(statFields(pid)[2]);
  } catch {
    return -1;
  }
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The benchmarks' nearest-rank percentiles: a fault test's p99 is computed as the bench's is.
// @ts-expect-error: a plain .mjs helper shared with the benchmark
export { median, pct as percentile } from '../../../../bench/stats.mjs';

/** One batch: `perVisitor` events of `eventName` for each visitor, every one with a fresh messageId. */
export function makeBatch(visitors: string[], eventName: string, perVisitor: number) {
  const now = Date.now();
  const batch = visitors.flatMap((anonymousId) =>
    Array.from({ length: perVisitor }, (_, i) => ({
      type: 'track',
      event: eventName,
      messageId: randomUUID(),
      anonymousId,
      timestamp: new Date(now - i).toISOString(),
      properties: { product_id: `p${i % 7}`, category: 'Serums', price: 20 },
      context: { consent: { analytics: true, personalization: true }, library: { name: 'faults', version: '0' } },
    })),
  );
  return { ids: batch.map((e) => e.messageId), body: JSON.stringify({ writeKey: 'demo', batch }) };
}

export interface LoadStats {
  batchesSent: number;
  eventsSent: number;
  eventsAcknowledged: number;
  attempts: number;
  /** why attempts failed (HTTP status or error name) → how often */
  failures: Record<string, number>;
  /** latency of each attempt that was answered, ms */
  latencies: number[];
  acknowledgedIds: Set<string>;
}

export const newStats = (): LoadStats => ({ batchesSent: 0, eventsSent: 0, eventsAcknowledged: 0, attempts: 0, failures: {}, latencies: [], acknowledgedIds: new Set() });

/**
 * Posts a batch until it is acknowledged, as a Segment client would: connection errors, 5xx, 408 and 429
 * are retried with backoff (Retry-After when given); any other answer is a failure of the test. The same
 * body is resent, so the edge sees the same messageIds. Gives up at `deadline`.
 */
export async function sendUntilAcknowledged(url: string, batch: { ids: string[]; body: string }, stats: LoadStats, deadline: number): Promise<void> {
  stats.batchesSent++;
  stats.eventsSent += batch.ids.length;
  for (let attempt = 1; ; attempt++) {
    stats.attempts++;
    const t = performance.now();
    let why: string;
    let retryAfter = 0;
    try {
      const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: batch.body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text(); // a connection cut mid-body throws here: retried as a network error
      const answer = (() => {
        try {
          return JSON.parse(text) as { success?: boolean; rejected?: unknown } | null;
        } catch {
          return null;
        }
      })();
      stats.latencies.push(performance.now() - t);
      if (res.status === 200) {
        if (!answer?.success || answer.rejected) throw new Error(`the edge rejected events of a test batch: ${JSON.stringify(answer).slice(0, 300)}`);
        for (const id of batch.ids) stats.acknowledgedIds.add(id);
        stats.eventsAcknowledged += batch.ids.length;
        return;
      }
      if (res.status < 500 && res.status !== 408 && res.status !== 429) throw new Error(`the edge refused a test batch: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
      why = `HTTP ${res.status}`;
      retryAfter = Number(res.headers.get('retry-after')) || 0;
    } catch (e) {
      if ((e as Error).message.startsWith('the edge re')) throw e;
      why = ((e as Error).cause as { code?: string } | undefined)?.code ?? (e as Error).name;
    }
    stats.failures[why] = (stats.failures[why] ?? 0) + 1;
    if (Date.now() > deadline) throw new Error(`a batch was still not acknowledged at the deadline after ${attempt} attempts (${JSON.stringify(stats.failures)})`);
    await sleep(retryAfter ? retryAfter * 1000 : Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random()));
  }
}

export interface Stored {
  /** sum of `counters[eventName].count` over the profiles */
  counted: number;
  /** events of that name in the log, over the profiles */
  logged: number;
  /** messageIds in the log more than once */
  loggedTwice: number;
  loggedIds: Set<string>;
}

/**
 * What the edge holds for these visitors, read through the admin export (profile + its event log), once the log
 * caught up: the log Queue's consumer writes the log a moment after ingest acknowledged, so this reads again
 * until the log holds as many events as the profiles count, or 60 s passed (then the shortfall is the result).
 */
export async function storedFor(url: string, visitors: string[], eventName: string): Promise<Stored> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const out = await storedOnce(url, visitors, eventName);
    if (out.loggedIds.size >= out.counted || Date.now() > deadline) return out;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function storedOnce(url: string, visitors: string[], eventName: string): Promise<Stored> {
  const out: Stored = { counted: 0, logged: 0, loggedTwice: 0, loggedIds: new Set() };
  for (let i = 0; i < visitors.length; i += 8) {
    await Promise.all(
      visitors.slice(i, i + 8).map(async (v) => {
        const res = await fetch(`${url}/v1/profiles/a:${encodeURIComponent(v)}/export`, { headers: { authorization: 'Bearer dev-admin' }, signal: AbortSignal.timeout(30_000) });
        if (res.status === 404) return; // never reached the edge
        if (res.status !== 200) throw new Error(`export of ${v}: ${res.status} ${(await res.text()).slice(0, 200)}`);
        const x = (await res.json()) as { profile: { counters: Record<string, { count: number }> }; events: { event?: string; messageId: string }[] };
        out.counted += x.profile.counters[eventName]?.count ?? 0;
        for (const e of x.events) {
          if (e.event !== eventName) continue;
          out.logged++;
          if (out.loggedIds.has(e.messageId)) out.loggedTwice++;
          out.loggedIds.add(e.messageId);
        }
      }),
    );
  }
  return out;
}
