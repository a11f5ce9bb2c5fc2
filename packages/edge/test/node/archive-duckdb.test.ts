// The archive as any engine reads it: a day of generated events, encoded by the archive's own encoder into a Hive
// directory (several parts, some events twice, as queue redeliveries and client retries leave them), compacted by
// the archive's own compaction logic, then read back by DuckDB with nothing but read_parquet.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRow, type Row } from '../../src/archive/columns.js';
import { planCompaction } from '../../src/archive/compact-plan.js';
import { rowsByDay } from '../../src/archive/merge.js';
import { compactKey, dayPrefix, partKey } from '../../src/archive/layout.js';
import { encodeRows, decodeRows } from '../../src/archive/parquet.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { demoDay } from '../archive-events.js';

const DAY = '2026-03-04';
const SITES = ['demo', 'shop/../x=%'] as const; // a hostile site id is data: DuckDB gives it back as it was
const root = mkdtempSync(join(tmpdir(), 'attune-archive-'));
const put = (key: string, bytes: Uint8Array) => {
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), bytes);
};
const expected = new Map<string, AcceptedEvent>(); // by site + message id: every acknowledged event
const sizes: string[] = [];

/** Every Parquet file under a directory. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).map((f) => join(dir, f));
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run("SET TimeZone = 'UTC'");
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const glob = () => `read_parquet('${join(root, 'events')}/*/*/*.parquet', hive_partitioning = true)`;

beforeAll(async () => {
  for (const [s, site] of SITES.entries()) {
    const events = [...demoDay({ day: DAY, events: 12_000, seed: 40 + s }), ...demoDay({ day: '2026-03-05', events: 500, seed: 50 + s })];
    for (const e of events) expected.set(`${site}\u0000${e.messageId}`, e);
    // Eight queue messages; 300 events a client sent again after a lost answer land in a later one.
    const parts: AcceptedEvent[][] = Array.from({ length: 8 }, (_, i) => events.filter((_, j) => j % 8 === i));
    parts[7]!.push(...events.slice(0, 300).map((e) => ({ ...e, receivedAt: new Date(Date.parse(e.receivedAt) + 30_000).toISOString() })));
    for (const [i, p] of parts.entries()) for (const [day, rows] of rowsByDay(p)) put(partKey(site, day, `msg-${i}`), encodeRows(rows));
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the archive read by DuckDB', () => {
  it('reads the parts as written: the retried events twice, each dropped by one window function', async () => {
    const [all] = await duck(`SELECT count(*)::INTEGER AS n, count(DISTINCT message_id)::INTEGER AS ids FROM ${glob()}`);
    expect(all).toEqual({ n: expected.size + 600, ids: expected.size });
    const [once] = await duck(
      `SELECT count(*)::INTEGER AS n FROM (SELECT * FROM ${glob()} QUALIFY row_number() OVER (PARTITION BY site, message_id ORDER BY received_at) = 1)`,
    );
    expect(once!.n).toBe(expected.size);
  });

  it('after compaction holds every event exactly once, with its fields as sent', async () => {
    for (const site of SITES) {
      for (const day of [DAY, '2026-03-05']) {
        const dir = join(root, dayPrefix(site, day));
        const inputs = files(dir);
        const inBytes = inputs.reduce((n, f) => n + statSync(f).size, 0);
        const rows: Row[] = [];
        for (const f of inputs) for (const r of await decodeRows(readFileSync(f), f)) rows.push(r);
        const plan = await planCompaction(rows, undefined, 5_000);
        const written = plan.files.map((f) => {
          const key = compactKey(site, day, f.digest);
          put(key, encodeRows(f.rows));
          return join(root, key);
        });
        for (const f of inputs) if (!written.includes(f)) unlinkSync(f); // write first, then delete
        sizes.push(
          `${JSON.stringify(site)} ${day}: ${inputs.length} parts, ${rows.length} rows, ${inBytes} bytes → ${written.length} files, ` +
            `${plan.files.reduce((n, f) => n + f.rows.length, 0)} rows, ${written.map((f) => statSync(f).size).join(' + ')} bytes (dropped ${plan.duplicates} repeated)`,
        );
      }
    }
    console.log(`archive on disk after compaction:\n  ${sizes.join('\n  ')}`);

    const rows = await duck(
      `SELECT site, day::VARCHAR AS day, message_id, type, event, name, anonymous_id, user_id, epoch_ms(timestamp) AS ts, epoch_ms(received_at) AS received,
              epoch_ms(sent_at) AS sent, properties, traits, context, schema_version, typeof(timestamp) AS ts_type FROM ${glob()}`,
    );
    expect(rows).toHaveLength(expected.size);
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.site}\u0000${r.message_id}`;
      expect(seen.has(key), `${key} twice`).toBe(false);
      seen.add(key);
      const e = expected.get(key) as (AcceptedEvent & Record<string, unknown>) | undefined;
      expect(e, `unexpected ${key}`).toBeDefined();
      const row = toRow(e!);
      expect(r.day).toBe(e!.timestamp.slice(0, 10));
      expect([r.type, r.event ?? null, r.name ?? null, r.anonymous_id, r.user_id ?? null]).toEqual([row.type, row.event, row.name, row.anonymous_id, row.user_id]);
      expect([Number(r.ts), Number(r.received), Number(r.sent)]).toEqual([row.timestamp, row.received_at, row.sent_at]);
      expect(JSON.parse(r.context as string)).toEqual(e!.context);
      expect(r.properties === null ? undefined : JSON.parse(r.properties as string)).toEqual(e!.properties);
      expect(r.traits === null ? undefined : JSON.parse(r.traits as string)).toEqual(e!.traits);
      expect(r.schema_version).toBe(1);
      expect(r.ts_type).toBe('TIMESTAMP WITH TIME ZONE');
    }
    expect(seen.size).toBe(expected.size);
    expect(new Set(rows.map((r) => r.site))).toEqual(new Set(SITES));
  });

  it('answers a report query over the JSON columns', async () => {
    const revenue = [...expected.values()]
      .filter((e) => e.type === 'track' && e.event === 'Order Completed' && e.timestamp.startsWith(DAY))
      .reduce((n, e) => n + Number((e.properties as { revenue: number }).revenue), 0);
    const [r] = await duck(
      `SELECT sum((properties->>'$.revenue')::DOUBLE) AS revenue FROM ${glob()} WHERE event = 'Order Completed' AND day = DATE '${DAY}'`,
    );
    expect(r!.revenue).toBeCloseTo(revenue, 6);
  });
});
