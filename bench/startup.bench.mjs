// A fresh isolate's start, this tree against a base commit, side by side (issue 22, item 9: "before and after"):
// - startup CPU: what the Worker's top-level code costs an isolate before its first request (building the
//   contract's schemas, hono's router, module evaluation), as `wrangler check startup` profiles it: the
//   milliseconds of its non-idle samples (V8 samples about every 1.1 ms);
// - the first and second store page after a fresh `wrangler dev` start, as the isolate bench takes them;
// - the Worker's minified bytes (since the split: the visitor Worker's, which every page view waits on);
// - what validating costs once started: one event through the contract's eventSchema, and the demo config through
//   configSchema, in a V8 context without code generation from strings, as workerd runs (so zod's classic API
//   cannot use its JIT there either).
// The base (BENCH_STARTUP_BASE, default the last commit with one Worker, before the visitor and the workplace were
// split; b63aa31 is the one before the contract moved to zod/mini) is checked out in a
// temporary git worktree that borrows this tree's node_modules and build output. Rounds alternate which tree goes
// first; figures are medians over BENCH_STARTUP_ROUNDS rounds.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import vm from 'node:vm';
import { join } from 'node:path';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { timed } from './isolate.bench.mjs';
import { median } from './stats.mjs';

export const name = 'startup';
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 9);
const BASE = process.env.BENCH_STARTUP_BASE ?? 'e161ffe';

/** The base commit as a worktree that runs: this tree's installed packages and build output linked in. */
function checkout(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'attune-base-'));
  execFileSync('git', ['worktree', 'add', '--detach', '--force', dir, ref], { cwd: root, stdio: 'ignore' });
  for (const rel of ['node_modules', 'dist', ...['edge', 'dashboard', 'tracker', 'widgets'].map((p) => `packages/${p}/node_modules`)]) {
    if (existsSync(join(root, rel)) && !existsSync(join(dir, rel))) symlinkSync(join(root, rel), join(dir, rel));
  }
  return { dir, remove: () => execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' }) };
}

/** Startup CPU ms of the Worker in `dir`, from `wrangler check startup`'s profile: its non-idle samples. */
export function startupCpuMs(dir) {
  const out = join(mkdtempSync(join(tmpdir(), 'attune-startup-')), 'startup.cpuprofile');
  try {
    execFileSync('npx', ['wrangler', 'check', 'startup', '--outfile', out], { cwd: dir, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    const idle = new Set(profile.nodes.filter((n) => ['(idle)', '(root)'].includes(n.callFrame.functionName)).map((n) => n.id));
    // timeDeltas[i] is the time since the sample before i; the first is the wait before profiling began.
    let us = 0;
    for (let i = 1; i < profile.samples.length; i++) if (!idle.has(profile.samples[i])) us += profile.timeDeltas[i];
    return us / 1000;
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

/** The contract of the tree in `dir`, bundled and evaluated in a context that, like workerd, cannot eval. */
async function contractOf(dir) {
  const contents = "export { eventSchema } from './packages/edge/src/contract/events.ts'; export { configSchema } from './packages/edge/src/contract/config.ts';";
  const out = await build({
    absWorkingDir: dir,
    stdin: { contents, resolveDir: dir, loader: 'ts' },
    ...(await import(join(dir, 'packages/edge/scripts/dev-server.mjs'))).workerBundleOptions(true),
    format: 'iife',
    globalName: 'contract',
    write: false,
    outfile: 'contract.js',
  });
  const context = vm.createContext({ URL, TextEncoder, Intl }, { codeGeneration: { strings: false } });
  vm.runInContext(out.outputFiles[0].text, context);
  return vm.runInContext('contract', context);
}

const event = (i) => ({
  type: 'track',
  event: 'Product Viewed',
  messageId: `m-${i}`,
  anonymousId: 'a-1',
  timestamp: '2026-12-01T10:00:00.000Z',
  properties: { sku: 'SKU-1', price: 12.5 },
  context: { page: { path: '/p/1', url: 'https://shop.example/p/1' }, locale: 'en' },
});
const demoConfig = JSON.parse(readFileSync(join(root, 'demo-site/attune.config.json'), 'utf8'));

/** µs per event (10,000 events) and ms per config (20 parses) of one round. */
function parseCost({ eventSchema, configSchema }) {
  const events = Array.from({ length: 50 }, (_, i) => event(i));
  let t = performance.now();
  for (let i = 0; i < 200; i++) for (const e of events) if (!eventSchema.safeParse(e).success) throw new Error('the bench event does not parse');
  const eventUs = ((performance.now() - t) / 10_000) * 1000;
  t = performance.now();
  for (let i = 0; i < 20; i++) if (!configSchema.safeParse(demoConfig).success) throw new Error('the demo config does not parse');
  return { eventUs, configMs: (performance.now() - t) / 20 };
}

async function pages(dir) {
  const { startDev } = await import(join(dir, 'packages/edge/scripts/dev-server.mjs'));
  const dev = await startDev({ quiet: true });
  try {
    return { first: await timed(`${dev.url}/`), second: await timed(`${dev.url}/`) };
  } finally {
    await dev.stop();
  }
}

export async function run() {
  const base = checkout(BASE);
  try {
    const trees = { [`base ${BASE}`]: base.dir, 'this tree': root };
    const runs = Object.fromEntries(Object.keys(trees).map((k) => [k, []]));
    const contracts = Object.fromEntries(await Promise.all(Object.entries(trees).map(async ([k, dir]) => [k, await contractOf(dir)])));
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 ? Object.keys(trees).reverse() : Object.keys(trees);
      for (const k of order) runs[k].push({ startup: startupCpuMs(trees[k]), ...(await pages(trees[k])), ...parseCost(contracts[k]) });
    }
    const rows = [];
    for (const [k, dir] of Object.entries(trees)) {
      const { workerBundle } = await import(join(dir, 'scripts/worker-size.mjs'));
      rows.push({
        bench: name,
        scenario: `${k}, ${ROUNDS} rounds`,
        bytes: (await workerBundle()).raw,
        startupCpuMs: median(runs[k].map((r) => r.startup)),
        firstPageMs: median(runs[k].map((r) => r.first)),
        secondPageMs: median(runs[k].map((r) => r.second)),
        eventParseUs: median(runs[k].map((r) => r.eventUs)),
        configParseMs: median(runs[k].map((r) => r.configMs)),
      });
    }
    return rows;
  } finally {
    base.remove();
  }
}
