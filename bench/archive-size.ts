// What an event costs in the R2 archive: Parquet bytes per event as the log consumer writes them (one file per
// Queue message and day, so per request's events) and as the daily compaction leaves them (one file per up to
// 200,000 rows, row groups of 10,000), with the archive's own encoder over the archive tests' generated day
// (test/archive-events.ts). Beside them the same events as JSON text, and the encoder's CPU per 1,000 events (this
// process's CPU time, which others' load on a shared machine moves less than the wall clock).
// The capacity model in packages/edge/README.md takes its storage and R2-operation figures from these rows.
import { MAX_ROWS, SLICE_ROWS } from '../packages/edge/src/archive/compact.js';
import { planCompaction } from '../packages/edge/src/archive/compact-plan.js';
import { rowsByDay } from '../packages/edge/src/archive/merge.js';
import { encodeRows, ParquetFileBuilder } from '../packages/edge/src/archive/parquet.js';
import { demoDay } from '../packages/edge/test/archive-events.js';

const EVENTS = 100_000;

/** CPU milliseconds of this process (user + system) since `from` (process.cpuUsage()). */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const DAY = '2026-03-04';

export async function archiveSizes() {
  const events = demoDay({ day: DAY, events: EVENTS, seed: 7 });
  const json = events.reduce((n, e) => n + new TextEncoder().encode(JSON.stringify(e)).length, 0);
  const rows = [...rowsByDay(events).values()].flat();
  const out = [];
  // The consumer: a file per message; a message carries one request's events (the tracker sends a few at a time,
  // a server library up to 100).
  for (const perFile of [1, 5, 10, 100]) {
    const take = rows.slice(0, Math.min(rows.length, perFile * 2_000));
    let bytes = 0;
    const t0 = process.cpuUsage();
    for (let i = 0; i < take.length; i += perFile) bytes += encodeRows(take.slice(i, i + perFile)).length;
    const ms = cpuMs(t0);
    out.push({ scenario: `consumer part files, ${perFile} event${perFile > 1 ? 's' : ''} a file`, events: take.length, files: Math.ceil(take.length / perFile), 'B/event': Math.round(bytes / take.length), 'encode CPU ms/1k events': (ms * 1000) / take.length });
  }
  // The cron's compaction: merged, time-ordered, cut into files of MAX_ROWS, built a slice at a time.
  const plan = await planCompaction(rows, undefined, MAX_ROWS);
  let bytes = 0;
  const t0 = process.cpuUsage();
  for (const f of plan.files) {
    const b = new ParquetFileBuilder();
    for (let i = 0; i < f.rows.length; i += SLICE_ROWS) b.add(f.rows.slice(i, i + SLICE_ROWS), SLICE_ROWS);
    bytes += b.finish().length;
  }
  const ms = cpuMs(t0);
  out.push({ scenario: `compacted day (files of ≤ ${MAX_ROWS.toLocaleString('en-US')} rows, row groups of ${SLICE_ROWS.toLocaleString('en-US')})`, events: rows.length, files: plan.files.length, 'B/event': Math.round(bytes / rows.length), 'encode CPU ms/1k events': (ms * 1000) / rows.length });
  out.push({ scenario: 'the same events as JSON text (the Queue message body, for comparison)', events: events.length, files: '', 'B/event': Math.round(json / events.length), 'encode CPU ms/1k events': '' });
  return out;
}
