// A fresh isolate's start, this tree against a base commit, side by side (issue 22, item 9: "before and after"):
// - startup CPU: what the Worker's top-level code costs an isolate before its first request (building the
//   contract's schemas, hono's router, module evaluation), as `wrangler check startup` profiles it: the
//   milliseconds of its non-idle samples (V8 samples about every 1.1 ms);
// - the first and second store page after a fresh `wrangler dev` start, as the isolate bench takes them;
// - the Worker's minified bytes.
// The base (BENCH_STARTUP_BASE, default the last commit before the contract moved to zod/mini) is checked out in a
// temporary git worktree that borrows this tree's node_modules and build output. Rounds alternate which tree goes
// first; figures are medians over BENCH_STARTUP_ROUNDS rounds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { median } from './stats.mjs';

export const name = 'startup';
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 9);
const BASE = process.env.BENCH_STARTUP_BASE ?? 'b63aa31';

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

async function pages(dir) {
  const { startDev } = await import(join(dir, 'packages/edge/scripts/dev-server.mjs'));
  const dev = await startDev({ quiet: true });
  try {
    const timed = async () => {
      const t = performance.now();
      const res = await fetch(`${dev.url}/`);
      const body = await res.text();
      if (res.status !== 200 || !body.includes('data-attune-css')) throw new Error(`GET ${dev.url}/: ${res.status}, not a filled store page`);
      return performance.now() - t;
    };
    return { first: await timed(), second: await timed() };
  } finally {
    await dev.stop();
  }
}

export async function run() {
  const base = checkout(BASE);
  try {
    const trees = { [`base ${BASE}`]: base.dir, 'this tree': root };
    const runs = Object.fromEntries(Object.keys(trees).map((k) => [k, []]));
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 ? Object.keys(trees).reverse() : Object.keys(trees);
      for (const k of order) runs[k].push({ startup: startupCpuMs(trees[k]), ...(await pages(trees[k])) });
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
      });
    }
    return rows;
  } finally {
    base.remove();
  }
}
