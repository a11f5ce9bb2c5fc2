// The shop owns its events, end to end on the real local stack (`wrangler dev`: Queue, consumer, R2, D1, cron):
// a day of generated traffic goes through POST /v1/batch (some batches twice, as a client retries after a lost
// answer), the consumer archives it, `attune export events` downloads it, DuckDB reads it back — every acknowledged
// event exactly once once the cron's compaction ran; a second export skips everything. Then one visitor is erased:
// the next export has none of their events at once, and after the next compaction the day's files were rewritten
// (new names) without them.
import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayBefore } from '../../src/archive/layout.js';
import { archiveListingSchema, type ArchiveDay } from '../../src/contract/archive-export.js';
import { demoDay } from '../archive-events.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

const EVENTS = 3_000;
const PER_VISITOR = 60; // ~50 visitors
const BATCH = 25;
const RETRY_EVERY = 6; // every 6th batch is sent again after its 200, as a client whose answer was lost
const CONCURRENCY = 6;
const ADMIN = { authorization: 'Bearer dev-admin' };
const CRON = '/__scheduled?cron=17+3+*+*+*'; // the Worker's daily cron, run on request (startDev's testScheduled)

let dev: { url: string; stop: () => Promise<void>; output: () => string };
const scratch = mkdtempSync(join(tmpdir(), 'attune-export-e2e-'));
// A closed day, two before the stack's clock: the cron compacts it as a day written since its last compaction.
const DAY = dayBefore(Date.now(), 2);
const acked = new Set<string>();
const byVisitor = new Map<string, string[]>();
const retried = new Set<string>();
/** events of a batch answered 5xx and sent again: in the parts once or twice more */
const resent = new Set<string>();
let requests = 0;
/** requests answered 200: each put one queue message, so one part file, on the day */
let acknowledged = 0;
const figures: string[] = [];
let sent: { visitor: string; batch: Record<string, unknown>[] }[] = [];

beforeAll(async () => {
  dev = await startDev({ testScheduled: true, vars: { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000' } });
}, 120_000);
afterAll(async () => {
  await dev?.stop();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`archive export end to end (wrangler dev, day ${DAY}):\n  ${figures.join('\n  ')}`);
});

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** The day as a browser would send it: each visitor's events in time order, in batches, without the edge's fields. */
function traffic(): { visitor: string; batch: Record<string, unknown>[] }[] {
  const byAnon = new Map<string, Record<string, unknown>[]>();
  for (const e of demoDay({ day: DAY, events: EVENTS, seed: 2020, eventsPerVisitor: PER_VISITOR })) {
    // No sentAt: the timestamp is kept as sent (with one, the edge would correct it for clock skew, to now).
    const { receivedAt: _r, sentAt: _s, userId: _u, ...sent } = e;
    byAnon.set(e.anonymousId!, [...(byAnon.get(e.anonymousId!) ?? []), sent]);
  }
  const out: { visitor: string; batch: Record<string, unknown>[] }[] = [];
  for (const [visitor, events] of byAnon) {
    events.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
    for (let i = 0; i < events.length; i += BATCH) out.push({ visitor, batch: events.slice(i, i + BATCH) });
  }
  return out;
}

/**
 * Sends a batch until it is acknowledged, as the tracker's outbox does. A 5xx after which the client sends again
 * (the local runtime may restart mid-request on this busy machine) may have archived the batch already: its events
 * then count as possibly twice in the parts.
 */
async function send(batch: Record<string, unknown>[]): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    requests++;
    const res = await fetch(`${dev.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch }) });
    const text = await res.text();
    if (res.status === 200) {
      expect(JSON.parse(text), 'no event refused').toEqual({ success: true });
      acknowledged++;
      return attempt > 1;
    }
    if (res.status < 500 || attempt === 3) throw new Error(`POST /v1/batch answered ${res.status} (attempt ${attempt}): ${text.slice(0, 300)}`);
  }
}

async function listing(): Promise<ArchiveDay | undefined> {
  const res = await fetch(`${dev.url}/v1/archive/events?since=${DAY}&until=${DAY}`, { headers: ADMIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return archiveListingSchema.parse(await res.json()).days[0];
}

/** Polls the listing until `done` holds (the consumer and the cron run apart from the request that caused them). */
async function until(what: string, done: (d: ArchiveDay | undefined) => boolean, ms = 180_000): Promise<ArchiveDay> {
  const deadline = Date.now() + ms;
  for (;;) {
    const d = await listing();
    if (done(d)) return d!;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms / 1000} s; the day holds ${JSON.stringify(d?.files.map((f) => f.name))}\n${dev.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function cron(): Promise<void> {
  const res = await fetch(`${dev.url}${CRON}`);
  expect(res.status, await res.clone().text()).toBe(200);
  await res.arrayBuffer();
}

/** `npx attune export events …` as a shop owner runs it (the CLI's own bin, bundled on first use). */
function attune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'packages/edge/bin/attune.mjs'), ...args], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function exportTo(dir: string, label: string) {
  const t0 = performance.now();
  const r = await attune('export', 'events', '--to', dev.url, '--since', DAY, '--until', DAY, '--out', dir, '--token', 'dev-admin');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith(DAY))!;
  const summary = r.stdout.split('\n').find((l) => l.startsWith('✓'))!;
  const took = / in ([\d.]+) s → /.exec(summary)?.[1];
  figures.push(`${label}: ${line.trim()} (${took} s by the CLI's count, ${seconds(t0)} s with its start)`);
  return { line, summary };
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Every row of an export as DuckDB reads it (message id, visitor, the Hive columns). */
async function rowsOf(dir: string) {
  return (await duck(
    `SELECT message_id, anonymous_id, site, day::VARCHAR AS day FROM read_parquet('${join(dir, 'events')}/*/*/*.parquet', hive_partitioning = true)`,
  )) as { message_id: string; anonymous_id: string; site: string; day: string }[];
}

function countIds(rows: { message_id: string }[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const r of rows) n.set(r.message_id, (n.get(r.message_id) ?? 0) + 1);
  return n;
}

describe('attune export events on wrangler dev', () => {
  it('exports a day of traffic that DuckDB reads with every acknowledged event once, resumes, and keeps an erased visitor out', async () => {
    // 1. A day of traffic, some batches twice.
    let t0 = performance.now();
    const batches = traffic();
    sent = batches;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < batches.length; i = next++) {
          const { visitor, batch } = batches[i]!;
          const ids = batch.map((e) => String(e.messageId));
          if (await send(batch)) for (const id of ids) resent.add(id);
          for (const id of ids) acked.add(id);
          byVisitor.set(visitor, [...(byVisitor.get(visitor) ?? []), ...ids]);
          if (i % RETRY_EVERY === 0) {
            if (await send(batch)) for (const id of ids) resent.add(id);
            for (const id of ids) retried.add(id);
          }
        }
      }),
    );
    expect(acked.size).toBe(EVENTS);
    expect(byVisitor.size).toBeGreaterThanOrEqual(40);
    figures.push(`sent: ${EVENTS} events of ${byVisitor.size} visitors in ${requests} requests (${retried.size} events sent twice; ${resent.size} again after a 5xx) in ${seconds(t0)} s`);

    // 2. The consumer archives each request's queue message as a part file of the day.
    t0 = performance.now();
    let stable = 0;
    let last = -1;
    const archived = await until('the consumer archived every request', (d) => {
      const n = d?.files.length ?? 0;
      stable = n === last ? stable + 1 : 0;
      last = n;
      return n >= acknowledged && stable >= 2;
    });
    expect(archived.files.every((f) => f.name.startsWith('part-'))).toBe(true);
    if (!resent.size) expect(archived.rows).toBe(EVENTS + retried.size);
    figures.push(`archived: ${archived.files.length} part files, ${archived.rows} rows, ${archived.bytes} bytes, ${seconds(t0)} s after the last acknowledgement`);

    // 3. Exported as they are: the parts hold the retried events twice, which one window function drops.
    const dir = join(scratch, 'export');
    const first = await exportTo(dir, 'export of the parts');
    expect(first.line).toMatch(new RegExp(`^${DAY}  ${archived.files.length} files  ${archived.bytes.toLocaleString('en-US')} bytes  ${archived.files.length} downloaded, 0 skipped$`));
    const parts = await rowsOf(dir);
    const partCounts = countIds(parts);
    if (!resent.size) expect(parts).toHaveLength(EVENTS + retried.size);
    for (const id of acked) {
      const n = partCounts.get(id) ?? 0;
      const expected = retried.has(id) ? 2 : 1;
      if (resent.has(id)) expect(n, id).toBeGreaterThanOrEqual(expected);
      else expect(n, id).toBe(expected);
    }
    const [once] = await duck(
      `SELECT count(*)::INTEGER AS n FROM (SELECT * FROM read_parquet('${join(dir, 'events')}/*/*/*.parquet', hive_partitioning = true) QUALIFY row_number() OVER (PARTITION BY site, message_id ORDER BY received_at) = 1)`,
    );
    expect(once!.n).toBe(EVENTS);

    // 4. The cron compacts the day; the export mirrors it (the parts go) and holds every acknowledged event once.
    t0 = performance.now();
    await cron();
    const compacted = await until('the cron compacted the day', (d) => !!d && d.files.every((f) => f.name.startsWith('compact-')));
    figures.push(`compacted by the cron: ${compacted.files.length} file(s), ${compacted.rows} rows, ${compacted.bytes} bytes (parts: ${archived.bytes}), ${seconds(t0)} s`);
    const second = await exportTo(dir, 'export after compaction, into the same directory');
    expect(second.line).toContain(`${archived.files.length} removed (no longer on the server)`);
    const rows = await rowsOf(dir);
    expect(rows).toHaveLength(EVENTS);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(acked);
    expect(new Set(rows.map((r) => `${r.site} ${r.day}`))).toEqual(new Set([`demo ${DAY}`]));
    // The README's query, as written there, over this directory.
    const types = new Map<string, number>();
    for (const { batch } of sent) for (const e of batch) types.set(String(e.type), (types.get(String(e.type)) ?? 0) + 1);
    const readme = await duck(`SELECT type, count(*) FROM read_parquet('${join(dir, 'events')}/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL`);
    expect(new Map(readme.map((r) => [String(r.type), Number(r['count_star()'])]))).toEqual(types);

    // 5. Resumable: run again, everything is here already.
    const third = await exportTo(dir, 'the same export again');
    expect(third.line).toBe(`${DAY}  ${compacted.files.length} file${compacted.files.length === 1 ? '' : 's'}  ${compacted.bytes.toLocaleString('en-US')} bytes  skipped (all ${compacted.files.length} up to date)`);
    expect(third.summary).toContain('(0 downloaded');

    // A wrong token: a clear message and a non-zero exit.
    const denied = await attune('export', 'events', '--to', dev.url, '--since', DAY, '--out', join(scratch, 'denied'), '--token', 'wrong');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^✗ GET .*\/v1\/archive\/events\?since=.* answered 401: wrong admin token \(the admin token: --token or ATTUNE_ADMIN_TOKEN\)/);

    // 6. Erase the visitor with the most events: no export holds them from now on.
    const [gone, theirs] = [...byVisitor].sort((a, b) => b[1].length - a[1].length)[0]!;
    const erase = await fetch(`${dev.url}/v1/profiles/${encodeURIComponent(`a:${gone}`)}`, { method: 'DELETE', headers: ADMIN });
    expect(erase.status, await erase.clone().text()).toBe(200);
    const hidden = await listing();
    expect(hidden!.files.map((f) => f.name)).toEqual(compacted.files.map((f) => f.name)); // nothing rewritten yet
    expect(hidden!.files.every((f) => f.filtered)).toBe(true);
    const fresh = join(scratch, 'after-erase');
    await exportTo(fresh, `export right after erasing ${gone} (${theirs.length} events)`);
    await exportTo(dir, 'the earlier export directory, run again after the erasure');
    const others = [...acked].filter((id) => !theirs.includes(id));
    for (const d of [fresh, dir]) {
      const r = await rowsOf(d);
      expect(r.filter((x) => x.anonymous_id === gone || theirs.includes(x.message_id)), d).toEqual([]);
      expect(r).toHaveLength(others.length);
      expect(new Set(r.map((x) => x.message_id))).toEqual(new Set(others));
    }

    // 7. The next compaction rewrites the day without them: new file names, served as stored again.
    t0 = performance.now();
    await cron();
    const rewritten = await until('the cron rewrote the erased visitor out of the day', (d) => !!d && d.files.every((f) => !f.filtered));
    const before = new Set(compacted.files.map((f) => f.name));
    expect(rewritten.files.filter((f) => before.has(f.name))).toEqual([]);
    expect(rewritten.rows).toBe(others.length);
    figures.push(`rewritten by the next cron: ${rewritten.files.map((f) => f.name).join(', ')}, ${rewritten.rows} rows, ${rewritten.bytes} bytes, ${seconds(t0)} s`);
    const after = join(scratch, 'after-compaction');
    await exportTo(after, 'export after that compaction');
    const final = await rowsOf(after);
    expect(final.filter((x) => x.anonymous_id === gone)).toEqual([]);
    expect(final).toHaveLength(others.length);
    expect(new Set(final.map((x) => x.message_id))).toEqual(new Set(others));
  }, 300_000);
});
