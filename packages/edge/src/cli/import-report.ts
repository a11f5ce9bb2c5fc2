// What an import tells its user: a progress display while it runs (a redrawn bar on a terminal, a line every
// few seconds in a log) and the summary at the end, which says exactly what landed. The summary is pure text.
import type { Kind } from './import-mapping.js';
import type { SendResult } from './import-send.js';

export const SHOWN = 50;
const n = (x: number) => x.toLocaleString('en-US');

const duration = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export interface ProgressSink {
  isTTY?: boolean | undefined;
  write(s: string): unknown;
}

/** Progress of one phase (reading rows, sending events): done/total, rate and time left. */
export class Progress {
  private phase = '';
  private unit = '';
  private start = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private sink: ProgressSink,
    private now: () => number = Date.now,
    private everyMs = sink.isTTY ? 100 : 5000,
  ) {}

  begin(phase: string, unit: string) {
    this.end();
    this.phase = phase;
    this.unit = unit;
    this.start = this.lastDraw = this.now();
  }

  /** `fraction` of the work is done (bytes read, events settled); `count` units so far. */
  update(count: number, fraction: number, force = false) {
    const t = this.now();
    if (!force && t - this.lastDraw < this.everyMs) return;
    this.lastDraw = t;
    const secs = Math.max((t - this.start) / 1000, 0.001);
    const rate = count / secs;
    const f = Math.min(Math.max(fraction, 0), 1);
    const eta = f > 0 && f < 1 ? duration(((t - this.start) * (1 - f)) / f) : '–';
    const text = `${this.phase} ${Math.floor(f * 100)}% · ${n(count)} ${this.unit} · ${n(Math.round(rate))} ${this.unit}/s · ETA ${eta}`;
    if (this.sink.isTTY) {
      const width = 24;
      const full = Math.round(f * width);
      this.sink.write(`\r\x1b[K[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${text}`);
      this.drawn = true;
    } else this.sink.write(`${text}\n`);
  }

  note(s: string) {
    if (this.sink.isTTY && this.drawn) this.sink.write('\r\x1b[K');
    this.sink.write(`${s}\n`);
    this.drawn = false;
  }

  end() {
    if (this.sink.isTTY && this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}

export interface ImportStats {
  kind: Kind;
  file: string;
  rowsRead: number;
  /** line and reason of each rejected row */
  rejected: { line: number; reason: string }[];
  /** cleaning flags by kind (issue) */
  flags: Map<string, number>;
  /** customers: people after merging; orders: orders after gathering lines */
  units: number;
  /** customers: rows folded into another row's person; orders: line rows folded into an order */
  merged: number;
  /** orders: revenue of the orders that landed */
  revenue?: number;
  readMs: number;
  totalMs: number;
  send: SendResult;
  /** people/orders whose own event (identify / Order Completed) the edge acknowledged */
  landed: number;
  /** no --to: checked only */
  dryRun?: boolean;
  /** things the owner should know about what landed where */
  notes?: string[];
}

export function summary(s: ImportStats): string {
  const what = s.kind === 'customers' ? 'people' : 'orders';
  const lines: string[] = [];
  const notLanded = s.send.failed.reduce((a, f) => a + f.events, 0);
  const clean = !s.rejected.length && !s.send.rejected.length && !notLanded;
  lines.push(`${clean ? '✓' : '✗'} ${s.file}: ${n(s.rowsRead)} rows read in ${duration(s.readMs)} (${n(Math.round(s.rowsRead / Math.max(s.totalMs / 1000, 0.001)))} rows/s overall, ${duration(s.totalMs)} in all)`);
  if (s.kind === 'customers') lines.push(`  people: ${n(s.units)} (${n(s.merged)} row${s.merged === 1 ? '' : 's'} merged into another row's person: same customer id, email or phone)`);
  else lines.push(`  orders: ${n(s.units)} from ${n(s.units + s.merged)} rows${s.revenue !== undefined ? `, revenue ${s.revenue.toFixed(2)}` : ''}`);
  if (s.rejected.length) {
    lines.push(`  rows rejected: ${n(s.rejected.length)}${s.rejected.length > SHOWN ? ` (the first ${SHOWN})` : ''}`);
    for (const r of s.rejected.slice(0, SHOWN)) lines.push(`    line ${r.line}: ${r.reason}`);
    const enc = s.rejected.filter((r) => r.reason.startsWith('not valid UTF-8')).length;
    if (enc) lines.push(`    ${n(enc)} row${enc === 1 ? ' is' : 's are'} not UTF-8: save the file as UTF-8 (e.g. iconv -f windows-1252 -t utf-8 in.csv > out.csv) and import again`);
  } else lines.push('  rows rejected: 0');
  const flags = [...s.flags].sort((a, b) => b[1] - a[1]);
  for (const note of s.notes ?? []) lines.push(`  note: ${note}`);
  lines.push(`  flags raised: ${flags.length ? flags.map(([k, c]) => `${k} ${n(c)}`).join(' · ') : 'none'} (kept on the profiles for the data-quality report)`);
  if (s.dryRun) {
    lines.push(`  checked only: nothing was sent; ${n(s.units)} ${s.units === 1 ? what.replace(/s$/, "") : what} would be (add --to http://localhost:8787 --write-key demo-server to import)`);
    return lines.join('\n');
  }
  const edgeRejected = s.send.rejected.length;
  lines.push(`  events: ${n(s.send.sent)} sent, ${n(s.send.acknowledged)} acknowledged, ${n(edgeRejected)} rejected by the edge${notLanded ? `, ${n(notLanded)} not landed` : ''}${s.send.retries ? ` (${n(s.send.retries)} retries)` : ''}`);
  for (const r of s.send.rejected.slice(0, SHOWN)) lines.push(`    line ${r.line}: ${r.message}`);
  if (edgeRejected > SHOWN) lines.push(`    … and ${n(edgeRejected - SHOWN)} more`);
  for (const f of s.send.failed.slice(0, 10)) lines.push(`    not landed: ${n(f.events)} events from lines ${f.lines.slice(0, 5).join(', ')}${f.lines.length > 5 ? ', …' : ''}: ${f.message}`);
  if (clean) lines.push(`  landed: all ${n(s.units)} ${what}; importing the same file again changes nothing`);
  else
    lines.push(
      `  landed: ${n(s.landed)} of ${n(s.units)} ${what}; not imported: the ${n(s.rejected.length)} rejected row${s.rejected.length === 1 ? '' : 's'}${edgeRejected ? ` and the ${what} of the ${n(edgeRejected)} line${edgeRejected === 1 ? '' : 's'} the edge rejected` : ''}${notLanded ? `, and the ${n(notLanded)} events not landed (run the import again: what landed is not counted twice)` : ''}`,
    );
  return lines.join('\n');
}
