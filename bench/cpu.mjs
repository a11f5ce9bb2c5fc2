// CPU time of the local stack while a benchmark runs, from Linux's /proc: the busiest thread of the Worker's
// runtime (workerd runs the Worker, its Durable Objects and the local KV and D1 on one thread, so that thread is
// the ceiling), and the whole machine. Elsewhere (no /proc) it measures nothing and says so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ: /proc counts CPU time in 1/100 s on Linux

/** state, ppid, pgrp, … utime (11), stime (12) of a /proc stat line: the fields after the command's `)`. */
const fields = (line) => line.slice(line.lastIndexOf(')') + 2).split(' ');
const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process or thread ended meanwhile
  }
};

/** utime + stime of every thread of the processes named `name` in process group `pgid`, by thread id. */
function threadTicks(pgid, name) {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat.includes(`(${name})`) || Number(fields(stat)[2]) !== pgid) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`, { throwIfNoEntry: false }) ?? []) {
      const f = fields(read(`/proc/${pid}/task/${tid}/stat`) || ') x');
      if (f.length > 12) out.set(tid, Number(f[11]) + Number(f[12]));
    }
  }
  return out;
}

/** Busy and total jiffies of all cores (/proc/stat's first line; idle and iowait count as not busy). */
function machineTicks() {
  const [, ...n] = read('/proc/stat').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - n[3] - n[4], total };
}

/**
 * Starts measuring the stack of process group `pgid` (startDev's `pid`).
 * @param name the runtime's process name (as /proc shows it)
 * @returns {() => { workerThread: number, machine: number } | null} stop: the busiest such thread's CPU as a
 *   share of one core, and the machine's as a share of all its cores, over the time since the start.
 */
export function cpuMeter(pgid, name = 'workerd') {
  if (!existsSync('/proc/stat')) return () => null;
  const t0 = performance.now();
  const threads0 = threadTicks(pgid, name);
  const machine0 = machineTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    let busiest = 0;
    for (const [tid, ticks] of threadTicks(pgid, name)) busiest = Math.max(busiest, ticks - (threads0.get(tid) ?? 0));
    const m = machineTicks();
    return { workerThread: busiest / TICKS / seconds, machine: (m.busy - machine0.busy) / (m.total - machine0.total) };
  };
}

/** What a process is, for a reader: its command, and for node the script it runs (wrangler, vitest, the bench). */
function processLabel(pid, stat) {
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  if (comm !== 'node' && comm !== 'MainThread') return comm;
  const args = read(`/proc/${pid}/cmdline`).split('\0').filter(Boolean);
  const script = args.slice(1).find((a) => !a.startsWith('-')) ?? '';
  const name = /wrangler/.test(script) ? 'wrangler' : /vitest/.test(script) ? 'vitest' : (script.split('/').pop() ?? '');
  return `node ${name}`.trim();
}

/** CPU ticks of every process on the machine by label. */
function processTicks() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) continue;
    const f = fields(stat);
    out.set(pid, { label: processLabel(pid, stat), ticks: Number(f[11]) + Number(f[12]) });
  }
  return out;
}

/**
 * Starts measuring where the machine's CPU goes, by process (the local stack's runtime, wrangler's proxy, the bench
 * client, anything else running).
 * @returns {() => { name: string, cores: number }[] | null} stop: each kind of process's CPU in cores (1 = one core
 *   busy the whole time), largest first
 */
export function processMeter() {
  if (!existsSync('/proc/stat')) return () => null;
  const t0 = performance.now();
  const before = processTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const by = new Map();
    for (const [pid, { label, ticks }] of processTicks()) by.set(label, (by.get(label) ?? 0) + ticks - (before.get(pid)?.ticks ?? 0));
    return [...by].map(([name, t]) => ({ name, cores: t / TICKS / seconds })).filter((p) => p.cores >= 0.01).sort((a, b) => b.cores - a.cores);
  };
}
