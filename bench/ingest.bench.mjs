// Ingest throughput against `wrangler dev` on this machine: batches of 100 events, over many profiles and
// over one hot profile; events/s, request latency p50/p99 (medians over repeats), and a count check that
// every event reached its profile and the event log exactly once; beside them the CPU of the local runtime's
// busiest thread and of the machine (bench/cpu.mjs), which show where the ceiling is.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { root, startDev } from '../packages/edge/scripts/dev-server.mjs';
import { existsSync, statfsSync } from 'node:fs';
import { cpuMeter } from './cpu.mjs';
import { median, pct } from './stats.mjs';

const BATCH = 100;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200); // per repeat
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Attempts per batch before the run gives up: a client retries transient failures (as the tracker does), but
 * a batch that keeps failing is a real fault. Failures are counted by kind and reported, never hidden. */
const ATTEMPTS = 12;

const SCENARIOS = [
  { scenario: 'many profiles, one visitor per batch', profiles: 2000, perBatch: 1 },
  { scenario: 'many profiles, 10 per batch (server library)', profiles: 2000, perBatch: 10 },
  { scenario: 'one hot profile', profiles: 1, perBatch: 1 },
  // What a shop sends: product views, cart adds, orders — the recommendation statistics' inputs too.
  { scenario: 'shop events (views, adds, orders), one visitor per batch', profiles: 2000, perBatch: 1, shop: true },
  // The first scenario again with the local stack's storage (its SQLite files) in memory: what this machine's
  // disk costs. workerd commits every object, D1 and KV transaction with fsync on the thread that runs the Worker.
  { scenario: 'many profiles, one visitor per batch, storage in memory (tmpfs)', profiles: 2000, perBatch: 1, memory: true },
];

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


function makeBatch(ids, name, shop = false) {
  const now = Date.now();
  return JSON.stringify({
    writeKey: 'demo',
    sentAt: new Date(now).toISOString(),
    batch: Array.from({ length: BATCH }, (_, i) => ({
      type: 'track',
      event: shop ? shopEvent(i) : name,
      messageId: randomUUID(),
      anonymousId: ids[i % ids.length],
      timestamp: new Date(now - i).toISOString(),
      properties:
        shop && shopEvent(i) === 'Order Completed'
          ? { order_id: randomUUID(), revenue: 42, products: [{ product_id: `p${i % 37}`, price: 20 }, { product_id: `p${(i * 7) % 37}`, price: 22 }] }
          : { product_id: `p${(i * 13 + now) % 37}`, category: ['Shoes', 'Bags', 'Hats'][i % 3], price: 10 + (i % 50) },
      context: { consent: { analytics: true, personalization: true }, library: { name: 'bench', version: '0' }, page: { path: '/p' } },
    })),
  });
}

const mergeReasons = (all) => {
  const sum = {};
  for (const r of all) for (const [k, n] of Object.entries(r)) sum[k] = (sum[k] ?? 0) + n;
  return Object.entries(sum).map(([k, n]) => `${k} ×${n}`).join(', ') || '-';
};

let dev;
async function runOnce(url, sc, name) {
  const profiles = Array.from({ length: sc.profiles }, (_, i) => `bench-${name}-${i}`.replace(/\s+/g, '-'));
  // Build bodies first so client-side JSON work is not timed.
  const bodies = Array.from({ length: BATCHES }, (_, b) => {
    const ids = Array.from({ length: sc.perBatch }, (_, k) => profiles[(b * sc.perBatch + k) % profiles.length]);
    return makeBatch(ids, name, sc.shop);
  });
  const latencies = [];
  let next = 0;
  let failed = 0;
  /** why requests failed (status or error name) → how often */
  const reasons = {};
  const t0 = performance.now();
  const cpu = cpuMeter(dev.pid);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
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
          if (status === 200 && answer?.success && !answer.rejected) break;
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
  // A 5xx answer names no cause (the Worker never leaks one): the Worker's log does.
  if (failed) {
    const lines = (dev?.output?.() ?? '').split('\n').filter((l) => /unhandled error|Error:|SQLITE|restart/i.test(l));
    console.error(`  ${failed} retried; the Worker logged (distinct):\n${[...new Set(lines.map((l) => l.slice(0, 200)))].slice(0, 8).map((l) => `    ${l}`).join('\n')}`);
  }
  return { eventsPerSec: (BATCHES * BATCH) / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), profiles, retries: failed, reasons, busy };
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

function logCounts(state) {
  const out = execFileSync(
    'npx',
    // per run: its profiles' ids are `bench-<run>-<n>` (segment entries and exits the writers logged left out)
    ['wrangler', 'd1', 'execute', 'EVENTS', '--local', '--persist-to', state, '--json', '--command', "SELECT rtrim(anonymous_id, '0123456789') AS run, count(*) AS n FROM events WHERE anonymous_id LIKE 'bench-%' AND name NOT IN ('Segment Entered', 'Segment Exited') GROUP BY run"],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return Object.fromEntries(JSON.parse(out)[0].results.map((r) => [r.run, r.n]));
}

/** Runs `scenarios` on one fresh local stack; the rows of the table, with the count check's figures. */
async function runOnStack(scenarios, devOpts) {
  // The demo site allows 600 requests a minute per client (its production default); one benchmark client
  // sends far more, so the operator override lifts the limit for this local stack only. Without it every
  // run past the first minute's 600 requests would measure 429s and Retry-After waits, not ingest.
  dev = await startDev({ ...devOpts, vars: { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' } });
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
        const busy = res.busy ? `, Worker thread ${Math.round(res.busy.workerThread * 100)}% of a core, machine ${Math.round(res.busy.machine * 100)}%` : '';
        console.error(`  ${sc.scenario} #${r + 1}: ${Math.round(res.eventsPerSec)} events/s, p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, profiles count ${counted}, retries ${res.retries}${busy}`);
      }
      pending.push({ sc, runs });
    }
    const logged = logCounts(dev.state);
    for (const { sc, runs } of pending) {
      const sent = BATCHES * BATCH;
      const busy = runs.every((r) => r.busy) ? runs.map((r) => r.busy) : null;
      rows.push({
        bench: 'ingest POST /v1/batch (wrangler dev)',
        scenario: sc.scenario,
        'events/s (median)': Math.round(median(runs.map((r) => r.eventsPerSec))),
        'p50 ms': median(runs.map((r) => r.p50)),
        'p99 ms': median(runs.map((r) => r.p99)),
        'sent/run': sent,
        repeats: REPEATS,
        concurrency: CONCURRENCY,
        // Where the ceiling is: the runtime's busiest thread (the Worker's) against the machine's two cores.
        'Worker thread CPU %': busy ? Math.round(median(busy.map((b) => b.workerThread)) * 100) : '-',
        'machine CPU %': busy ? Math.round(median(busy.map((b) => b.machine)) * 100) : '-',
        'lost (profiles)': runs.reduce((s, r) => s + (sent - r.counted), 0),
        'lost (event log)': runs.reduce((s, r) => s + (sent - (logged[`bench-${r.name}-`.replace(/\s+/g, '-')] ?? 0)), 0),
        retries: runs.reduce((s, r) => s + r.retries, 0),
        'retry reasons': mergeReasons(runs.map((r) => r.reasons)),
      });
    }
  } finally {
    await dev.stop();
  }
  return rows;
}

export async function run() {
  const rows = [];
  // BENCH_INGEST_ONLY=<part of a scenario's name> runs just those (A/B runs of one path)
  const wanted = SCENARIOS.filter((sc) => !process.env.BENCH_INGEST_ONLY || sc.scenario.includes(process.env.BENCH_INGEST_ONLY));
  for (const memory of [false, true]) {
    const group = wanted.filter((sc) => Boolean(sc.memory) === memory);
    if (!group.length) continue;
    if (memory && memoryFree() < MEMORY_NEEDS_BYTES) {
      console.error(`  skipped (${MEMORY} missing or under 1 GB free): ${group.map((sc) => sc.scenario).join(', ')}`);
      continue;
    }
    rows.push(...(await runOnStack(group, memory ? { stateIn: MEMORY } : {})));
  }
  // The count check fails the bench: a fast run that lost or doubled an event is not a result.
  const wrong = rows.filter((r) => r['lost (profiles)'] !== 0 || r['lost (event log)'] !== 0);
  if (wrong.length) {
    console.error(JSON.stringify(rows, null, 2));
    throw new Error(`ingest bench: events lost or counted twice in ${wrong.map((r) => r.scenario).join(', ')}`);
  }
  return rows;
}
