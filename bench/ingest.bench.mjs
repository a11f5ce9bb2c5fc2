// Ingest throughput against `wrangler dev` on this machine: batches of 100 events, over many profiles and
// over one hot profile; events/s, request latency p50/p99 (medians over repeats), and a count check that
// every event reached its profile, the D1 event log and the R2 archive exactly once once the log Queue's
// consumer drained; beside them the CPU of the local runtime's busiest thread and of the machine
// (bench/cpu.mjs), which show where the ceiling is.
// The log leaves the request path through a Queue (issue 20), so each run also waits for the consumer and
// measures: the time from a batch's acknowledgement until its events are in the archive and the D1 log (the
// consumer acknowledges a message only after both resolved), the rate until everything sent is there, and D1
// statements and transactions per 1,000 events, now (counted) and as the ingest before the Queue ran them (one D1
// batch per request, built by the same statement functions from the same requests). bench/ingest-worker.ts is
// the Worker it runs: the product's, with D1 and the Queue counted and /__bench/ routes to read the counts.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { freePort, startDev } from '../packages/edge/scripts/dev-server.mjs';
import { existsSync, statfsSync } from 'node:fs';
import { cpuMeter, processMeter } from './cpu.mjs';
import { stackClient } from './ingest-stack.mjs';
import { startIsolateProfile } from './isolate-profile.mjs';
import { median, pct } from './stats.mjs';

const BATCH = 100;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200); // per repeat
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Attempts per batch before the run gives up: a client retries transient failures (as the tracker does), but
 * a batch that keeps failing is a real fault. Failures are counted by kind and reported, never hidden. */
const ATTEMPTS = 12;
/** Every POLL_EVERY-th batch is also polled from outside until the D1 log holds all its events (a cross-check). */
const POLL_EVERY = 20;
/** How long the consumer may take to drain a run before the bench calls its messages lost. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 300_000);
/** BENCH_HOLD_CONSUMER=1: the consumer waits until every request was answered, so the runtime's thread CPU splits
 * into the request path's and the consumer's (two more columns; the rows, named so, then measure the requests
 * without a consumer beside them, and ack → log includes the wait). */
const HOLD = process.env.BENCH_HOLD_CONSUMER === '1';
/** BENCH_PROFILE=1: a V8 CPU profile of the Worker's isolate over each run's requests (and, apart, over the consumer
 * after them), printed by the part of the code its time went to (bench/isolate-profile.mjs). The profiler costs
 * CPU itself: rows of a profiled run are for the split, not for the table's events/s. */
const PROFILE = process.env.BENCH_PROFILE === '1';

const SCENARIOS = [
  { scenario: 'many profiles, one visitor per batch', profiles: 2000, perBatch: 1 },
  { scenario: 'many profiles, 10 per batch (server library)', profiles: 2000, perBatch: 10 },
  { scenario: 'one hot profile', profiles: 1, perBatch: 1 },
  // What a shop sends: product views, cart adds, orders — the recommendation statistics' inputs too.
  { scenario: 'shop events (views, adds, orders), one visitor per batch', profiles: 2000, perBatch: 1, shop: true },
  // The first scenario again with the local stack's storage (its SQLite files) in memory: what this machine's
  // disk costs. workerd commits every object, D1 and KV transaction with fsync on the thread that runs the Worker.
  { scenario: 'many profiles, one visitor per batch, storage in memory (tmpfs)', profiles: 2000, perBatch: 1, memory: true },
  // Ten visitors a batch on tmpfs: how much of that scenario's cost is creating ten objects' SQLite files on disk.
  { scenario: 'many profiles, 10 per batch, storage in memory (tmpfs)', profiles: 2000, perBatch: 10, memory: true },
];

/** events/s of each scenario with the log written to D1 on the request path (bench of 2026-11-30, before issue 20). */
const BEFORE_QUEUE = [5064, 959, 4383, 2340, 6989, '-'];

/** Where the in-memory scenarios keep the stack's state: a tmpfs, when the machine has one with room for it
 * (the scenario's objects, D1 and KV took ~250 MB here; containers often give /dev/shm 64 MB). */
const MEMORY = '/dev/shm';
const MEMORY_NEEDS_BYTES = 1024 ** 3;
const memoryFree = () => {
  if (!existsSync(MEMORY)) return 0;
  const fs = statfsSync(MEMORY);
  return fs.bavail * fs.bsize;
};

/** The shop scenario's events: of every 20, 14 product views, 4 cart adds, 2 orders. */
const SHOP = ['Product Viewed', 'Product Added', 'Order Completed'];
const shopEvent = (i) => (i % 20 < 14 ? SHOP[0] : i % 20 < 18 ? SHOP[1] : SHOP[2]);
const namesOf = (sc, name) => (sc.shop ? SHOP : [name]);


/** A request body and its events' messageIds. */
function makeBatch(ids, name, shop = false) {
  const now = Date.now();
  const messageIds = Array.from({ length: BATCH }, () => randomUUID());
  const body = JSON.stringify({
    writeKey: 'demo',
    sentAt: new Date(now).toISOString(),
    batch: Array.from({ length: BATCH }, (_, i) => ({
      type: 'track',
      event: shop ? shopEvent(i) : name,
      messageId: messageIds[i],
      anonymousId: ids[i % ids.length],
      timestamp: new Date(now - i).toISOString(),
      properties:
        shop && shopEvent(i) === 'Order Completed'
          ? { order_id: randomUUID(), revenue: 42, products: [{ product_id: `p${i % 37}`, price: 20 }, { product_id: `p${(i * 7) % 37}`, price: 22 }] }
          : { product_id: `p${(i * 13 + now) % 37}`, category: ['Shoes', 'Bags', 'Hats'][i % 3], price: 10 + (i % 50) },
      context: { consent: { analytics: true, personalization: true }, library: { name: 'bench', version: '0' }, page: { path: '/p' } },
    })),
  });
  return { body, messageIds };
}

const mergeReasons = (all) => {
  const sum = {};
  for (const r of all) for (const [k, n] of Object.entries(r)) sum[k] = (sum[k] ?? 0) + n;
  return Object.entries(sum).map(([k, n]) => `${k} ×${n}`).join(', ') || '-';
};

let dev;
/** the local stack's V8 inspector (BENCH_PROFILE reads the isolate's CPU profile through it) */
let inspectorPort;
/** the bench Worker's routes on `dev` (ingest-stack.mjs) */
let stack;

async function runOnce(url, sc, name) {
  await stack.drain(); // what earlier runs left in the Queue is not this run's
  await stack.bench('reset');
  if (HOLD) await stack.bench('hold?on=1');
  const profiles = Array.from({ length: sc.profiles }, (_, i) => `bench-${name}-${i}`.replace(/\s+/g, '-'));
  // Build bodies first so client-side JSON work is not timed.
  const batches = Array.from({ length: BATCHES }, (_, b) => {
    const ids = Array.from({ length: sc.perBatch }, (_, k) => profiles[(b * sc.perBatch + k) % profiles.length]);
    return makeBatch(ids, name, sc.shop);
  });
  const latencies = [];
  /** Date.now() of each batch's successful answer */
  const ackAt = new Array(batches.length);
  const polls = [];
  let next = 0;
  let failed = 0;
  /** why requests failed (status or error name) → how often */
  const reasons = {};
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const wall0 = Date.now();
  const cpu = cpuMeter(dev.pid);
  const cpuToLog = cpuMeter(dev.pid); // read again once the consumer drained: the whole pipeline's CPU
  const byProcess = processMeter(); // where the machine's two cores went while the requests ran
  const wake = () => stack.bench('state');
  const profiling = PROFILE && name !== 'warmup' ? await startIsolateProfile(inspectorPort, wake) : null;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const n = next++;
        const { body, messageIds } = batches[n];
        for (let attempt = 1; ; attempt++) {
          const t = performance.now();
          let status = 0;
          let answer = null;
          let retryAfter = 0;
          try {
            const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body, signal: AbortSignal.timeout(30_000) });
            status = res.status;
            retryAfter = Number(res.headers.get('retry-after')) || 0;
            answer = await res.json().catch(() => null);
          } catch (e) {
            answer = String(e); // a network error or timeout: retried like the tracker would
          }
          latencies.push(performance.now() - t);
          if (status === 200 && answer?.success && !answer.rejected) {
            ackAt[n] = Date.now();
            // Settled at once (an error is kept as the value): a poll failing before the drain below is awaited
            // must not end the process with the local stack still running.
            if (n % POLL_EVERY === 0) polls.push(stack.pollLogged(messageIds, ackAt[n]).catch((e) => e));
            break;
          }
          // A 200 that rejects events means the bench sent something invalid: no retry fixes that.
          if (status === 200 || (status >= 400 && status < 500 && status !== 429 && status !== 408))
            throw new Error(`the edge refused a bench batch: ${status} ${JSON.stringify(answer).slice(0, 500)}`);
          failed++; // retried like the tracker would: the edge drops repeats by messageId
          const why = status ? `HTTP ${status}` : String(answer).split(':')[0];
          reasons[why] = (reasons[why] ?? 0) + 1;
          if (attempt >= ATTEMPTS)
            throw new Error(`a batch failed ${attempt} times (${JSON.stringify(reasons)}), last: ${status} ${JSON.stringify(answer).slice(0, 500)}\n${dev?.output?.().slice(-3000)}`);
          // Back off like the tracker: honour Retry-After, else exponential with jitter.
          await new Promise((r) => setTimeout(r, retryAfter ? retryAfter * 1000 : Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random())));
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const busy = cpu();
  const processes = byProcess();
  const cpuConsumer = cpuMeter(dev.pid);
  const cpuProfiles = {};
  if (profiling) cpuProfiles.requests = await profiling();
  const profilingConsumer = PROFILE && HOLD && name !== 'warmup' ? await startIsolateProfile(inspectorPort, wake) : null;
  if (HOLD) await stack.bench('hold?on=0');
  // A 5xx answer names no cause (the Worker never leaks one): the Worker's log does.
  if (failed) {
    const lines = (dev?.output?.() ?? '').split('\n').filter((l) => /unhandled error|Error:|SQLITE|restart/i.test(l));
    console.error(`  ${failed} retried (${mergeReasons([reasons])}); the Worker logged (distinct):\n${[...new Set(lines.map((l) => l.slice(0, 200)))].slice(0, 8).map((l) => `    ${l}`).join('\n')}`);
  }
  // Then the consumer: until everything sent is in the archive and D1, and when each batch got there.
  const state = await stack.drain();
  const busyToLog = cpuToLog();
  if (profilingConsumer) cpuProfiles.consumer = await profilingConsumer();
  const secondsToLog = (performance.now() - t0) / 1000;
  // CPU seconds of the runtime's busiest thread → ms per 1,000 events sent (share of a core × seconds × 1e6 / events)
  const msPerK = (share, s) => (share === undefined ? null : (share * s * 1e6) / (BATCHES * BATCH));
  const consumerBusy = cpuConsumer();
  const polled = await Promise.all(polls);
  const pollError = polled.find((p) => p instanceof Error);
  if (pollError) throw pollError;
  const committed = await stack.bench('acked', batches.map((b) => b.messageIds));
  const missing = committed.filter((t) => t === null).length;
  if (missing) throw new Error(`${missing} acknowledged batches have events no consumer acknowledged after the Queue drained`);
  const lastIn = Math.max(...committed);
  const events = BATCHES * BATCH;
  const perThousand = (n) => (n * 1000) / events;
  return {
    eventsPerSec: events / seconds,
    drainedPerSec: events / ((lastIn - wall0) / 1000),
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    toLog: committed.map((t, i) => t - ackAt[i]),
    polled,
    queue: { perRequest: state.queue.messages / state.before.requests, kb: state.queue.bytes / state.queue.messages / 1000 },
    d1: {
      ms: perThousand(state.d1.consumer.ms),
      ingest: state.d1.ingest.statements,
      stmtsBefore: perThousand(state.before.statements),
      stmtsAfter: perThousand(state.d1.consumer.statements),
      txBefore: perThousand(state.before.batches),
      txAfter: perThousand(state.d1.consumer.batches),
      rowsAfter: perThousand(state.d1.consumer.rowsWritten),
    },
    consumer: state.invocations,
    // the profiles this run's batches named (fewer than sc.profiles when BENCH_BATCHES is small): the count check reads these
    profiles: [...new Set(Array.from({ length: BATCHES * sc.perBatch }, (_, i) => profiles[i % profiles.length]))],
    retries: failed,
    reasons,
    busy,
    // The machine is shared: its 1-minute load average when the run began and once it drained
    load: [load0, loadavg()[0]],
    // CPU of the runtime's busiest thread per 1,000 events: from the first request until the consumer drained, and
    // split at the last answer (with the consumer held, the first part is the request path's alone)
    threadMsPerK: msPerK(busyToLog?.workerThread, secondsToLog),
    threadMsPerKRequests: msPerK(busy?.workerThread, seconds),
    threadMsPerKAfter: msPerK(consumerBusy?.workerThread, secondsToLog - seconds),
    cpuProfiles,
    processes,
  };
}

/** Sum of the counters of `names` over the profiles (admin API, from the writers) — must equal what was sent. */
async function profileCount(url, profiles, names) {
  let total = 0;
  for (let i = 0; i < profiles.length; i += 50) {
    const counts = await Promise.all(
      profiles.slice(i, i + 50).map(async (id) => {
        // Bounded: an answer other than 200/404 (the local stack overloaded) is retried a few times, then named.
        let last = '';
        for (let attempt = 0; attempt < 8; attempt++) {
          try {
            const res = await fetch(`${url}/v1/profiles/a:${id}`, { headers: { authorization: 'Bearer dev-admin' }, signal: AbortSignal.timeout(15_000) });
            if (res.status === 404) return 0;
            if (res.status === 200) {
              const counters = (await res.json()).counters ?? {};
              return names.reduce((n, name) => n + (counters[name]?.count ?? 0), 0);
            }
            last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
          } catch (e) {
            last = String(e);
          }
          await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
        }
        throw new Error(`counting profile ${id}: ${last}`);
      }),
    );
    total += counts.reduce((a, b) => a + b, 0);
  }
  return total;
}

/** Runs `scenarios` on one fresh local stack; the rows of the table, with the count check's figures. */
async function runOnStack(scenarios, devOpts) {
  // The demo site allows 600 requests a minute per client (its production default); one benchmark client
  // sends far more, so the operator override lifts the limit for this local stack only. Without it every
  // run past the first minute's 600 requests would measure 429s and Retry-After waits, not ingest.
  // Its own inspector port: wrangler's default (9229) is taken by whichever other local stack started first.
  inspectorPort = await freePort();
  dev = await startDev({ ...devOpts, entry: 'bench/ingest-worker.ts', oneWorker: true, inspectorPort, vars: { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' } });
  stack = stackClient(dev, DRAIN_MS);
  const rows = [];
  try {
    await runOnce(dev.url, { profiles: 50, perBatch: 1 }, 'warmup'); // JIT, isolates, D1 schema
    console.error('  warmed up');
    const pending = [];
    for (const sc of scenarios) {
      const s = SCENARIOS.indexOf(sc);
      const runs = [];
      for (let r = 0; r < REPEATS; r++) {
        const name = `Bench ${s}.${r}`;
        const res = await runOnce(dev.url, sc, name);
        const counted = await profileCount(dev.url, res.profiles, namesOf(sc, name));
        runs.push({ ...res, name, counted });
        if (res.processes) console.error(`  the machine's CPU while the requests ran, in cores: ${res.processes.slice(0, 8).map((p) => `${p.name} ${p.cores.toFixed(2)}`).join(', ')}`);
        for (const [phase, p] of Object.entries(res.cpuProfiles)) {
          const events = BATCHES * BATCH;
          const per = (ms) => ((ms * 1000) / events).toFixed(1);
          console.error(`  isolate CPU profile, ${phase}: ${per(p.busyMs)} ms per 1,000 events in the isolate (${per(p.idleMs)} idle)`);
          for (const part of p.parts.slice(0, 16)) console.error(`    ${per(part.ms).padStart(7)} ms/1k  ${(part.share * 100).toFixed(1).padStart(5)}%  ${part.name}`);
          console.error('    busiest functions:');
          for (const f of p.functions.slice(0, 15)) console.error(`    ${per(f.ms).padStart(7)} ms/1k  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
        }
        const busy = res.busy
          ? `, Worker thread ${Math.round(res.busy.workerThread * 100)}% of a core, machine ${Math.round(res.busy.machine * 100)}%, load ${res.load.map((l) => l.toFixed(1)).join('→')}, thread ms/1k events ${Math.round(res.threadMsPerK)} (${Math.round(res.threadMsPerKRequests)} until the last answer + ${Math.round(res.threadMsPerKAfter)} after)`
          : '';
        const batchSizes = res.consumer.map((b) => b.messages);
        console.error(
          `  ${sc.scenario} #${r + 1}: ${Math.round(res.eventsPerSec)} events/s acknowledged, ${Math.round(res.drainedPerSec)} events/s until all in the log, p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, ` +
            `ack → log and archive p50 ${median(res.toLog)} ms p99 ${pct(res.toLog, 99)} ms (polled: p50 ${median(res.polled)} ms p99 ${pct(res.polled, 99)} ms, ${res.polled.length} batches), ` +
            `consumer ${res.consumer.length} batches of ${Math.min(...batchSizes)}–${Math.max(...batchSizes)} messages, D1 statements/1k events ${res.d1.stmtsBefore.toFixed(1)} before → ${res.d1.stmtsAfter.toFixed(1)}, ` +
            `transactions/1k ${res.d1.txBefore.toFixed(1)} → ${res.d1.txAfter.toFixed(1)}, on the request path ${res.d1.ingest}, profiles count ${counted}, retries ${res.retries}${busy}`,
        );
      }
      pending.push({ sc, runs });
    }
    // Every run drained before the next began: count what the stores hold.
    const logged = await stack.bench('log-counts');
    const archived = await stack.bench('archive-counts');
    console.error(`  archive: ${archived.files} files, ${(archived.bytes / 1e6).toFixed(1)} MB, ${archived.rows} rows; D1: ${logged.events} events logged, ${(logged.bytes / 1e6).toFixed(1)} MB`);
    for (const { sc, runs } of pending) {
      const sent = BATCHES * BATCH;
      const busy = runs.every((r) => r.busy) ? runs.map((r) => r.busy) : null;
      const key = (r) => `bench-${r.name}-`.replace(/\s+/g, '-');
      const med = (f) => median(runs.map(f));
      rows.push({
        bench: 'ingest POST /v1/batch (wrangler dev)',
        scenario: HOLD ? `${sc.scenario}, consumer held until the last answer` : sc.scenario,
        'events/s (median)': Math.round(med((r) => r.eventsPerSec)),
        'events/s before the Queue': BEFORE_QUEUE[SCENARIOS.indexOf(sc)],
        'p50 ms': med((r) => r.p50),
        'p99 ms': med((r) => r.p99),
        // Until the last event sent is in the archive and the D1 log: what this one thread sustains, consumer included.
        'events/s until in the log': Math.round(med((r) => r.drainedPerSec)),
        'ack → log+archive p50 ms': med((r) => median(r.toLog)),
        'ack → log+archive p99 ms': med((r) => pct(r.toLog, 99)),
        'consumer batch (messages, median)': med((r) => median(r.consumer.map((b) => b.messages))),
        // Wall time of the consumer's invocations (archive encode and PUTs, D1, KV) per 1,000 events sent.
        'consumer ms/1k events': med((r) => (r.consumer.reduce((s, b) => s + b.ms, 0) * 1000) / (BATCHES * BATCH)),
        'D1 statements/1k events before': med((r) => r.d1.stmtsBefore),
        'D1 statements/1k events': med((r) => r.d1.stmtsAfter),
        'D1 transactions/1k events before': med((r) => r.d1.txBefore),
        'D1 transactions/1k events': med((r) => r.d1.txAfter),
        'D1 rows written/1k events': Math.round(med((r) => r.d1.rowsAfter)),
        // The log's one writer: how long the consumer's D1 calls took per 1,000 events (its ceiling is 1,000 / that).
        'D1 ms/1k events': med((r) => r.d1.ms),
        'Queue messages/request': med((r) => r.queue.perRequest),
        'Queue message KB': med((r) => r.queue.kb),
        // Storage of the whole stack (every scenario run on it): bytes per row, the part files before compaction.
        'archive B/event (parts)': Math.round(archived.bytes / archived.rows),
        'D1 B/event (log database)': Math.round(logged.bytes / logged.events),
        'D1 statements on the request path': runs.reduce((s, r) => s + r.d1.ingest, 0),
        'sent/run': sent,
        repeats: REPEATS,
        concurrency: CONCURRENCY,
        // Where the ceiling is: the runtime's busiest thread (the Worker's) against the machine's two cores.
        'Worker thread CPU %': busy ? Math.round(median(busy.map((b) => b.workerThread)) * 100) : '-',
        // The local ceiling: that one thread's CPU per 1,000 events, requests and consumer together (until drained).
        'Worker thread ms/1k events': runs.every((r) => r.threadMsPerK !== null) ? Math.round(med((r) => r.threadMsPerK)) : '-',
        // With the consumer held: the same split into answering the requests, then consuming (BENCH_HOLD_CONSUMER)
        ...(HOLD && runs.every((r) => r.threadMsPerKRequests !== null)
          ? { 'thread ms/1k, requests': Math.round(med((r) => r.threadMsPerKRequests)), 'thread ms/1k, consumer after': Math.round(med((r) => r.threadMsPerKAfter)) }
          : {}),
        // The machine is shared with other work: the 1-minute load average (uptime) over the runs, start and end.
        'load avg (1 min)': `${Math.min(...runs.flatMap((r) => r.load)).toFixed(1)}–${Math.max(...runs.flatMap((r) => r.load)).toFixed(1)}`,
        'machine CPU %': busy ? Math.round(median(busy.map((b) => b.machine)) * 100) : '-',
        'lost (profiles)': runs.reduce((s, r) => s + (sent - r.counted), 0),
        'lost (event log)': runs.reduce((s, r) => s + (sent - (logged.runs[key(r)] ?? 0)), 0),
        'lost (archive)': runs.reduce((s, r) => s + (sent - (archived.runs[key(r)]?.distinct ?? 0)), 0),
        // Rows a client's retry wrote again (a redelivery overwrites its own file): readers keep the earliest.
        'archive copies beyond one': runs.reduce((s, r) => s + ((archived.runs[key(r)]?.rows ?? 0) - (archived.runs[key(r)]?.distinct ?? 0)), 0),
        retries: runs.reduce((s, r) => s + r.retries, 0),
        'retry reasons': mergeReasons(runs.map((r) => r.reasons)),
      });
    }
  } finally {
    await dev.stop();
    // workerd may outlive a SIGTERM while busy (a consumer retrying): nothing of this stack's group stays behind.
    try {
      process.kill(-dev.pid, 'SIGKILL');
    } catch {}
  }
  return rows;
}

export async function run() {
  const rows = [];
  // BENCH_INGEST_ONLY=<part of a scenario's name>[|<another>…] runs just those (A/B runs of one path)
  const only = process.env.BENCH_INGEST_ONLY?.split('|');
  const wanted = SCENARIOS.filter((sc) => !only || only.some((o) => sc.scenario.includes(o)));
  for (const memory of [false, true]) {
    const group = wanted.filter((sc) => Boolean(sc.memory) === memory);
    if (!group.length) continue;
    if (memory && memoryFree() < MEMORY_NEEDS_BYTES) {
      console.error(`  skipped (${MEMORY} missing or under 1 GB free): ${group.map((sc) => sc.scenario).join(', ')}`);
      continue;
    }
    rows.push(...(await runOnStack(group, memory ? { stateIn: MEMORY } : {})));
  }
  // The count check fails the bench: a fast run that lost or doubled an event is not a result. The archive may
  // hold a second copy only of what a client sent again (its readers keep the earliest); none without retries.
  const wrong = rows.filter(
    (r) => r['lost (profiles)'] !== 0 || r['lost (event log)'] !== 0 || r['lost (archive)'] !== 0 || (r.retries === 0 && r['archive copies beyond one'] !== 0) || r['D1 statements on the request path'] !== 0,
  );
  if (wrong.length) {
    console.error(JSON.stringify(rows, null, 2));
    throw new Error(`ingest bench: events lost or counted twice, or D1 on the request path, in ${wrong.map((r) => r.scenario).join(', ')}`);
  }
  return rows;
}
