// The ingest bench's CPU columns (bench/cpu.mjs) say where the ceiling is: they must read a busy thread as
// busy and an idle one as idle, from /proc, for the processes of one group only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper of the benchmark
import { cpuMeter, processMeter } from '../../../../bench/cpu.mjs';
// @ts-expect-error: a plain .mjs helper of the benchmark
import { moduleHeaders, summarize } from '../../../../bench/isolate-profile.mjs';

const busyFor = (ms: number) => `const t = Date.now(); while (Date.now() - t < ${ms});`;

describe.skipIf(!existsSync('/proc/stat'))('bench CPU meter', () => {
  it('reads a spinning process as one core busy, and a process outside the group as nothing', async () => {
    // Its own process group (detached), as wrangler dev's is; the name /proc shows for it is `node`.
    const child = spawn(process.execPath, ['-e', busyFor(1500)], { detached: true, stdio: 'ignore' });
    const done = new Promise((r) => child.once('exit', r));
    const stop = cpuMeter(child.pid, 'node');
    const elsewhere = cpuMeter(child.pid, 'workerd'); // same group, no such process
    await new Promise((r) => setTimeout(r, 1000));
    const busy = stop();
    const none = elsewhere();
    await done;
    expect(busy.workerThread).toBeGreaterThan(0.6);
    expect(busy.workerThread).toBeLessThan(1.1);
    // The spinning child keeps one of the machine's cores busy (the share is of all of them).
    expect(busy.machine * cpus().length).toBeGreaterThan(0.6);
    expect(none.workerThread).toBe(0);
  });
});

describe.skipIf(!existsSync('/proc/stat'))('bench process meter', () => {
  it('names a spinning node script among the machine\'s processes with about one core', async () => {
    // A script file, as the bench client and wrangler are: the label is `node <its file name>`.
    const dir = mkdtempSync(join(tmpdir(), 'attune-meter-'));
    const script = join(dir, 'spin-for-the-meter.mjs');
    writeFileSync(script, busyFor(1500));
    const child = spawn(process.execPath, [script], { stdio: 'ignore' });
    const done = new Promise((r) => child.once('exit', r));
    const stop = processMeter();
    await new Promise((r) => setTimeout(r, 1000));
    const by = stop() as { name: string; cores: number }[];
    await done;
    rmSync(dir, { recursive: true, force: true });
    const spin = by.find((p) => p.name === 'node spin-for-the-meter.mjs');
    expect(spin?.cores, JSON.stringify(by)).toBeGreaterThan(0.6);
    expect(spin!.cores).toBeLessThan(1.1);
    expect(by.map((p) => p.cores)).toEqual([...by.map((p) => p.cores)].sort((a, b) => b - a));
  });
});

describe('isolate profile summary (BENCH_PROFILE)', () => {
  // An unminified esbuild bundle: each module starts with a `// <path>` line.
  const bundle = ['// node_modules/zod/v4/core/core.js', 'function parse() {}', '', '// packages/edge/src/ingest/validate.ts', 'function acceptEvent() {', '  return 1;', '}', '// bench/ingest-worker.ts', 'function counted() {}'].join('\n');

  it('names the source file of a bundle line from its module headers', () => {
    const fileOf = moduleHeaders(bundle);
    expect([0, 1, 3, 5, 8].map(fileOf)).toEqual(['node_modules/zod/v4/core/core.js', 'node_modules/zod/v4/core/core.js', 'packages/edge/src/ingest/validate.ts', 'packages/edge/src/ingest/validate.ts', 'bench/ingest-worker.ts']);
  });

  it('sums self time by part and function, leaving idle time out of the shares', () => {
    const frame = (functionName: string, lineNumber = -1, url = 'worker.js', scriptId = '7') => ({ functionName, url, lineNumber, columnNumber: 0, scriptId });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', -1, '', '0') },
        { id: 2, callFrame: frame('(idle)', -1, '', '0') },
        { id: 3, callFrame: frame('parse', 1) },
        { id: 4, callFrame: frame('acceptEvent', 4) },
        { id: 5, callFrame: frame('exec', -1, '', '0') },
      ],
      // time deltas in µs: each sample gets the gap to the next one (idle 1 ms, parse 2, acceptEvent 3 + 3, exec 2)
      samples: [2, 3, 4, 4, 5, 2],
      timeDeltas: [0, 1000, 2000, 3000, 3000, 2000],
    };
    const s = summarize(profile, new Map([['7', bundle]]));
    expect(s.busyMs).toBe(10);
    expect(s.idleMs).toBe(1);
    expect(s.parts.map((p: { name: string; ms: number }) => [p.name, p.ms])).toEqual([['src/ingest', 6], ['zod', 2], ['runtime API exec', 2]]);
    expect(s.functions[0].name).toBe('acceptEvent ingest/validate.ts');
  });
});

