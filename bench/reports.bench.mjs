// Dashboard reports on a million events: seeds a local D1 directly (packages/edge/scripts/seed-events.mjs,
// not through ingest), starts `wrangler dev` on it, and times each report endpoint over HTTP — the median
// of repeats after one warm-up call (which also builds the reports' indexes if they are missing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedEvents } from '../packages/edge/scripts/seed-events.mjs';
import { startDev } from '../packages/edge/scripts/dev-server.mjs';
import { median, pct } from './stats.mjs';

export const name = 'reports';

const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS_REPORTS ?? 7);

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const now = Date.now();
const last30 = `from=${day(now - 29 * 86_400_000)}&to=${day(now)}`;

const REPORTS = [
  ['overview', `overview?${last30}`],
  ['overview, 90 days', `overview?from=${day(now - 89 * 86_400_000)}&to=${day(now)}`],
  ['funnel (5 default steps)', `funnel?${last30}`],
  ['segments', `segments?${last30}`],
  ['quality', `quality?${last30}`],
  ['recommendations', `recommendations?${last30}`],
  ['before/after (14 days)', `before-after?date=${day(now - 14 * 86_400_000)}&metric=conversion_rate&days=14`],
];

export async function run() {
  const state = mkdtempSync(join(tmpdir(), 'attune-reports-bench-'));
  const rows = [];
  try {
    const t0 = performance.now();
    seedEvents(state, EVENTS, now);
    const seedS = (performance.now() - t0) / 1000;
    console.error(`bench reports: seeded ${EVENTS} events in ${seedS.toFixed(1)} s`);
    const dev = await startDev({ persistTo: state });
    try {
      const get = async (path) => {
        const t = performance.now();
        const res = await fetch(`${dev.url}/v1/reports/${path}`, { headers: { authorization: 'Bearer dev-admin' } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
        return performance.now() - t;
      };
      for (const [scenario, path] of REPORTS) {
        await get(path); // warm-up
        const ms = [];
        for (let i = 0; i < REPEATS; i++) ms.push(await get(path));
        rows.push({ bench: name, scenario, events: EVENTS, median_ms: Math.round(median(ms)), max_ms: Math.round(pct(ms, 100)), repeats: REPEATS });
        console.error(`bench reports: ${scenario} median ${median(ms).toFixed(0)} ms`);
      }
    } finally {
      await dev.stop();
    }
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
  return rows;
}
