// The ingest bench's CPU columns (bench/cpu.mjs) say where the ceiling is: they must read a busy thread as
// busy and an idle one as idle, from /proc, for the processes of one group only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper of the benchmark
import { cpuMeter } from '../../../../bench/cpu.mjs';

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
