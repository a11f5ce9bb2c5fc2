// A fresh isolate's start, readable Worker against minified (issue 22, item 9): the same demo store Worker under
// `wrangler dev`, bundled as deploy used to upload it (not minified) and as it does now (wrangler.toml: minify).
// workerd compiles and evaluates the script before it answers, so the parse of every byte is in "ready": the time
// from spawning `wrangler dev` to the Worker's first answer. The first store page after it (render, decide,
// recommendations: the code a visitor's first request runs, compiled lazily) and the second one show what a cold
// request costs over a warm one. Rounds alternate between the two builds so that the machine's drift hits both;
// figures are medians over the rounds. Wrangler's own start (Node, bundling the config) is in "ready" for both alike,
// and larger than the difference: compileMs times V8's compile of each script alone, in Node.
import { build } from 'esbuild';
import vm from 'node:vm';
import { startDev, root, workerBundleOptions } from '../packages/edge/scripts/dev-server.mjs';
import { median } from './stats.mjs';

export const name = 'isolate';
const ROUNDS = Number(process.env.BENCH_ISOLATE_ROUNDS ?? 5);

/** The demo store's Worker, minified or readable, bundled as startDev bundles it (`cjs`: for compileMs below). */
async function bundleOf(minify, format = 'esm') {
  const out = await build({
    absWorkingDir: root,
    entryPoints: ['demo-site/backend/worker.ts'],
    ...workerBundleOptions(minify),
    format,
    external: ['cloudflare:*', 'node:*', '*.json.gz'],
    write: false,
    outfile: 'worker.js',
  });
  return out.outputFiles[0].text;
}

/**
 * V8's compile of the script alone (vm.Script: the same engine as workerd, which parses lazily too), median of
 * `n`, each source made unique so V8's compilation cache does not answer. What the bytes cost an isolate, without
 * wrangler's start around it.
 */
function compileMs(code, n = 31) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const source = `${code}\n//${i}`;
    const t = performance.now();
    new vm.Script(source);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** One GET of a store page the edge filled, timed; throws on anything else. */
export async function timed(url) {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200 || !body.includes('data-attune-css')) throw new Error(`GET ${url}: ${res.status}, not a filled store page`);
  return performance.now() - t;
}

async function round(minify) {
  const before = process.env.ATTUNE_DEV_MINIFY;
  process.env.ATTUNE_DEV_MINIFY = minify ? '1' : '0';
  const dev = await startDev({ quiet: true });
  process.env.ATTUNE_DEV_MINIFY = before ?? '';
  try {
    const first = await timed(`${dev.url}/`);
    const second = await timed(`${dev.url}/`);
    return { ready: dev.readyMs, first, second };
  } finally {
    await dev.stop();
  }
}

export async function run() {
  const runs = { readable: [], minified: [] };
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always meets the cooler machine.
    for (const minify of i % 2 ? [true, false] : [false, true]) runs[minify ? 'minified' : 'readable'].push(await round(minify));
  }
  const rows = [];
  for (const [scenario, rs] of Object.entries(runs)) {
    rows.push({
      bench: name,
      scenario: `${scenario} Worker, wrangler dev, ${ROUNDS} rounds`,
      bytes: Buffer.byteLength(await bundleOf(scenario === 'minified')),
      compileMs: compileMs(await bundleOf(scenario === 'minified', 'cjs')),
      readyMs: median(rs.map((r) => r.ready)),
      firstPageMs: median(rs.map((r) => r.first)),
      secondPageMs: median(rs.map((r) => r.second)),
    });
  }
  return rows;
}
