// Dashboard reports on a million events: seeds a local D1 directly (packages/edge/scripts/seed-events.mjs,
// not through ingest), starts `wrangler dev` on it, and times each report endpoint over HTTP for the last 30
// and 90 days. Each repeat asks the same report twice, side by side: as the dashboard does (closed days from
// the per-day rollups, today from the log) and with `source=raw` (the same SQL over the log alone). The first
// call builds the rollups of every closed day (timed apart); the medians are over the repeats after it.
//   BENCH_REPORT_EVENTS=1000000 BENCH_REPEATS_REPORTS=5 BENCH_REPORTS_STATE=<dir: seeded once, kept> npm run bench -- reports
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedEvents } from '../packages/edge/scripts/seed-events.mjs';
import { startDev } from '../packages/edge/scripts/dev-server.mjs';
import { median } from './stats.mjs';

export const name = 'reports';

const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS_REPORTS ?? 5);

const DAY = 86_400_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const now = Date.now();
const last = (n) => `from=${day(now - (n - 1) * DAY)}&to=${day(now)}`;

/**
 * [report, path for the last n days, the periods timed: days, or 'log' for a report over the whole log].
 * Experiments (set-based arm counts, the holdout from report_anonymous_days) took ~1.6 s at 30 days before,
 * and at 90 days one call ran past undici's 300 s header timeout; segment discovery (every profile's features,
 * now from the same rollup) took ~12 s in the sqlite3 shell on the seeded log.
 */
const REPORTS = [
  // first: after the others' calls one discovery call once hung past undici's 300 s timeout (not yet understood)
  ['segment discovery (whole log, k-means on a 2,000-profile sample)', () => 'segments/discover?site=demo', ['log']],
  ['overview (KPIs, trends, daily series)', (n) => `overview?${last(n)}`],
  ['funnel (5 default steps)', (n) => `funnel?${last(n)}`],
  ['segments', (n) => `segments?${last(n)}`],
  ['data quality', (n) => `quality?${last(n)}`],
  ['recommendations', (n) => `recommendations?${last(n)}`],
  ['before/after (n/2 days each side)', (n) => `before-after?date=${day(now - (n / 2 - 1) * DAY)}&metric=conversion_rate&days=${n / 2}`],
  ['experiments (arms + holdout)', (n) => `experiments?${last(n)}`],
];

export async function run() {
  const kept = process.env.BENCH_REPORTS_STATE;
  const state = kept ?? mkdtempSync(join(tmpdir(), 'attune-reports-bench-'));
  const rows = [];
  try {
    if (!kept || !existsSync(join(state, 'v3'))) {
      const t0 = performance.now();
      seedEvents(state, EVENTS, now);
      console.error(`bench reports: seeded ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const dev = await startDev({ persistTo: state });
    try {
      const get = async (path) => {
        const t = performance.now();
        const res = await fetch(`${dev.url}/v1/reports/${path}`, { headers: { authorization: 'Bearer dev-admin' } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
        return performance.now() - t;
      };
      const build = await get(`overview?${last(90)}`);
      rows.push({ bench: name, scenario: 'first report after seeding: builds the rollups of 90 closed days', events: EVENTS, 'build ms': Math.round(build) });
      console.error(`bench reports: rollups built in ${build.toFixed(0)} ms`);
      for (const [scenario, path, periods = [30, 90]] of REPORTS) {
        const row = { bench: name, scenario, events: EVENTS };
        for (const n of periods) try {
          const rollup = [];
          const raw = [];
          await get(path(n)); // warm-up
          await get(`${path(n)}&source=raw`);
          for (let i = 0; i < REPEATS; i++) {
            rollup.push(await get(path(n)));
            raw.push(await get(`${path(n)}&source=raw`));
          }
          const tag = typeof n === 'number' ? `${n}d` : n;
          row[`p50 ms ${tag}`] = Math.round(median(rollup));
          row[`raw p50 ms ${tag}`] = Math.round(median(raw));
          row[`raw / rollup ${tag}`] = Math.round((median(raw) / median(rollup)) * 10) / 10;
          console.error(`bench reports: ${scenario} ${tag} p50 ${median(rollup).toFixed(0)} ms (raw ${median(raw).toFixed(0)} ms)`);
        } catch (e) {
          // one report failing (a timeout) still leaves the others' rows
          row[`error ${typeof n === 'number' ? `${n}d` : n}`] = String(e.cause?.code ?? e.message).slice(0, 60);
          console.error(`bench reports: ${scenario} ${n}: ${e.cause?.code ?? e.message}`);
        }
        row.repeats = REPEATS;
        rows.push(row);
      }
    } finally {
      await dev.stop();
    }
  } finally {
    if (!kept) rmSync(state, { recursive: true, force: true });
  }
  return rows;
}
