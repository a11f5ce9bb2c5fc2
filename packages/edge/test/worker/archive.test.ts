// The archive in R2 and D1 as the queue consumer and the cron use it: writes, reads, compaction, retention.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { filesOfDay, listAll } from '../../src/archive/bucket.js';
import { compactArchive, compactDay } from '../../src/archive/compact.js';
import { dueDays } from '../../src/archive/day-state.js';
import { dayPrefix, partKey, sitePrefix } from '../../src/archive/layout.js';
import { tombstoneSet } from '../../src/archive/merge.js';
import { decodeEvents } from '../../src/archive/parquet.js';
import { purgeArchive } from '../../src/archive/purge.js';
import { readDay } from '../../src/archive/read.js';
import { archiveIndexStatements, daysOfProfile } from '../../src/archive/tombstones.js';
import { archiveMessage } from '../../src/archive/write.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { demoDay } from '../archive-events.js';
import { uid } from './helpers.js';

const DAY = '2026-03-04';
const NOW = Date.parse('2026-03-05T03:17:00.000Z'); // the cron's run the morning after DAY

/** What the consumer does with one queue message: archive first, then the D1 index in its batch. */
async function consume(site: string, partId: string, events: AcceptedEvent[]) {
  await archiveMessage(env.ARCHIVE, site, partId, events);
  await env.EVENTS.batch(await archiveIndexStatements(env.EVENTS, site, events));
}

const ids = (events: { messageId: string }[]) => events.map((e) => e.messageId).sort();

describe('archiveMessage', () => {
  it('writes one file per UTC day of the events, named by the part id', async () => {
    const site = uid('site');
    const a = demoDay({ day: DAY, events: 30, seed: 2 });
    const b = demoDay({ day: '2026-03-05', events: 5, seed: 3 });
    const written = await archiveMessage(env.ARCHIVE, site, 'msg-1', [...a, ...b]);
    expect([...written].sort()).toEqual([
      [DAY, partKey(site, DAY, 'msg-1')],
      ['2026-03-05', partKey(site, '2026-03-05', 'msg-1')],
    ]);
    const obj = await env.ARCHIVE.get(partKey(site, DAY, 'msg-1'));
    expect(obj!.httpMetadata!.contentType).toBe('application/vnd.apache.parquet');
    expect(ids(await decodeEvents(await obj!.arrayBuffer()))).toEqual(ids(a));
  });

  it('is idempotent: a redelivered message overwrites its own files', async () => {
    const site = uid('site');
    const events = demoDay({ day: DAY, events: 40, seed: 4 });
    await consume(site, 'msg-1', events);
    await consume(site, 'msg-1', events);
    expect((await listAll(env.ARCHIVE, sitePrefix(site))).map((o) => o.key)).toEqual([partKey(site, DAY, 'msg-1')]);
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(events));
  });

  it('keeps a hostile site id inside its own partition', async () => {
    const evil = `../${uid('x')}/day=2026-01-01`;
    await archiveMessage(env.ARCHIVE, evil, 'p', demoDay({ day: DAY, events: 3 }));
    const keys = (await listAll(env.ARCHIVE, sitePrefix(evil))).map((o) => o.key);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.split('/')).toHaveLength(4);
    expect(keys[0]!.startsWith(`events/site=..%2F`)).toBe(true);
    expect(await readDay(env.ARCHIVE, env.EVENTS, evil, DAY)).toHaveLength(3);
  });
});

describe('compactDay', () => {
  it('makes one file of many parts, drops repeated message ids and erased people, deletes the old files', async () => {
    const site = uid('site');
    const day = demoDay({ day: DAY, events: 300, seed: 5 });
    const parts = [day.slice(0, 100), day.slice(100, 200), day.slice(200)];
    // A client retried 20 events after a lost answer: they came back in another message, received later.
    const retried = day.slice(50, 70).map((e) => ({ ...e, receivedAt: new Date(Date.parse(e.receivedAt) + 60_000).toISOString() }));
    for (const [i, p] of [...parts, retried].entries()) await consume(site, `m${i}`, p);
    const gone = day[0]!.anonymousId!;
    const r = await compactDay(env.ARCHIVE, site, DAY, { tombstones: tombstoneSet([{ kind: 'anonymous', id: gone, erasedAt: NOW }]) });
    const kept = day.filter((e) => e.anonymousId !== gone);
    expect(r).toMatchObject({ filesIn: 4, filesOut: 1, rowsIn: 320, duplicates: 20, erased: day.length - kept.length, rowsOut: kept.length });
    const files = await filesOfDay(env.ARCHIVE, site, DAY);
    expect(files.map((f) => f.key)).toEqual(r.written);
    expect(files[0]!.key).toMatch(/\/compact-[0-9a-f]{32}\.parquet$/);
    const back = await decodeEvents(await (await env.ARCHIVE.get(files[0]!.key))!.arrayBuffer());
    expect(ids(back)).toEqual(ids(kept));
    // The first copy of a retried event is the one kept.
    const first = back.find((e) => e.messageId === day[60]!.messageId);
    if (first) expect(first.receivedAt).toBe(day[60]!.receivedAt);
  });

  it('splits a day into files of at most maxRows, and leaves a compacted day alone', async () => {
    const site = uid('site');
    const day = demoDay({ day: DAY, events: 250, seed: 6 });
    await consume(site, 'a', day.slice(0, 120));
    await consume(site, 'b', day.slice(120));
    const r = await compactDay(env.ARCHIVE, site, DAY, { maxRows: 100 });
    expect(r.written).toHaveLength(3);
    // What the cron does on a day nothing was written into or erased from since: leave it as it is.
    const again = await compactDay(env.ARCHIVE, site, DAY, { maxRows: 100, skipCompacted: true });
    expect(again).toMatchObject({ filesIn: 3, filesOut: 3, written: [], deleted: [] });
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(day));
  });

  it('loses nothing when it crashes between writing the new file and deleting the old ones', async () => {
    const site = uid('site');
    const day = demoDay({ day: DAY, events: 200, seed: 7 });
    await consume(site, 'a', day.slice(0, 120));
    await consume(site, 'b', day.slice(80)); // 40 events twice
    const crash = () => Promise.reject(new Error('the isolate died'));
    await expect(compactDay(env.ARCHIVE, site, DAY, { beforeDelete: crash })).rejects.toThrow('the isolate died');
    // Old parts and the new file side by side: every reader through Attune sees each event once.
    expect(await filesOfDay(env.ARCHIVE, site, DAY)).toHaveLength(3);
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(day));
    // The rerun writes the same name again and removes the rest.
    const r = await compactDay(env.ARCHIVE, site, DAY);
    expect(r.filesOut).toBe(1);
    const files = await filesOfDay(env.ARCHIVE, site, DAY);
    expect(files).toHaveLength(1);
    const back = await decodeEvents(await (await env.ARCHIVE.get(files[0]!.key))!.arrayBuffer());
    expect(ids(back)).toEqual(ids(day));
  });

  it('reads a day a slice at a time, dropping repeats across the slices of a file', async () => {
    const site = uid('site');
    const day = demoDay({ day: DAY, events: 400, seed: 8 });
    for (let i = 0; i < 4; i++) await consume(site, `p${i}`, day.slice(i * 100, i * 100 + 100));
    await consume(site, 'retry', day.slice(0, 10)); // again, in a later slice
    const r = await compactDay(env.ARCHIVE, site, DAY, { sliceRows: 150 });
    expect(r).toMatchObject({ filesIn: 5, filesOut: 1, rowsIn: 410, rowsOut: 400, duplicates: 10 });
    // A full file (maxRows) is left as it is by later runs, unless an erased person may be in it.
    expect(await compactDay(env.ARCHIVE, site, DAY, { maxRows: 250 })).toMatchObject({ filesIn: 1, filesOut: 1, rowsIn: 0, written: [], deleted: [] });
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(day));
  });
});

describe('compactArchive and retention', () => {
  it('compacts yesterday and late-written older days, leaves today, and a second run has nothing to do', async () => {
    const site = uid('site');
    const yesterday = demoDay({ day: DAY, events: 50, seed: 9 });
    const older = demoDay({ day: '2026-02-20', events: 20, seed: 10 });
    const today = demoDay({ day: '2026-03-05', events: 10, seed: 11 });
    await consume(site, 'a', [...yesterday.slice(0, 25), ...today]);
    await consume(site, 'b', [...yesterday.slice(25), ...older.slice(0, 10)]);
    await consume(site, 'c', older.slice(10)); // late events for an older day
    expect(await dueDays(env.EVENTS, site, '2025-01-01', '2026-03-05')).toEqual(['2026-02-20', DAY]);
    const run = await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: site, retentionDays: 395 }, NOW);
    expect(run.days.map((d) => [d.day, d.filesIn, d.filesOut])).toEqual([
      ['2026-02-20', 2, 1],
      [DAY, 2, 1],
    ]);
    expect(await filesOfDay(env.ARCHIVE, site, '2026-03-05')).toHaveLength(1); // today: still its part
    expect(await dueDays(env.EVENTS, site, '2025-01-01', '2026-03-05')).toEqual([]);
    const again = await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: site, retentionDays: 395 }, NOW);
    expect(again.days.map((d) => [d.day, d.written.length, d.deleted.length])).toEqual([[DAY, 0, 0]]);
  });

  it('leaves the days it had no time for to the next run', async () => {
    const site = uid('site');
    await consume(site, 'a', [...demoDay({ day: DAY, events: 5, seed: 12 }), ...demoDay({ day: '2026-03-01', events: 5, seed: 13 })]);
    let t = 0;
    const run = await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: site, retentionDays: 395 }, NOW, { budgetMs: 10, clock: () => (t += 6) });
    expect(run.days.map((d) => d.day)).toEqual(['2026-03-01']);
    expect(run.left).toEqual([DAY]);
    expect(await dueDays(env.EVENTS, site, '2025-01-01', '2026-03-05')).toEqual([DAY]);
  });

  it('finishes a day too big for one run over the next runs, each a complete compaction of what it took', async () => {
    const site = uid('site');
    const day = demoDay({ day: DAY, events: 300, seed: 17 });
    for (let i = 0; i < 3; i++) await consume(site, `p${i}`, day.slice(i * 100, i * 100 + 100));
    const first = await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: site, retentionDays: 395 }, NOW, { runRows: 250 });
    expect(first.days.map((d) => [d.filesIn, d.rowsIn, d.complete])).toEqual([[3, 200, false]]);
    expect(first.left).toEqual([DAY]);
    expect(await dueDays(env.EVENTS, site, '2025-01-01', '2026-03-05')).toEqual([DAY]);
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(day));
    const second = await compactArchive({ bucket: env.ARCHIVE, db: env.EVENTS }, { id: site, retentionDays: 395 }, NOW, { runRows: 250 });
    expect(second.days.map((d) => [d.filesIn, d.rowsIn, d.filesOut, d.complete])).toEqual([[2, 100, 2, true]]);
    expect(await dueDays(env.EVENTS, site, '2025-01-01', '2026-03-05')).toEqual([]);
    expect((await filesOfDay(env.ARCHIVE, site, DAY)).map((f) => f.rows).sort()).toEqual([100, 200]);
    expect(ids(await readDay(env.ARCHIVE, env.EVENTS, site, DAY))).toEqual(ids(day));
  });

  it('deletes whole days past retention, and their index rows', async () => {
    const site = uid('site');
    const old = demoDay({ day: '2026-02-01', events: 10, seed: 14 });
    const edge = demoDay({ day: '2026-02-03', events: 10, seed: 15 });
    await consume(site, 'a', [...old, ...edge]);
    await consume(site, 'b', demoDay({ day: '2026-01-15', events: 3, seed: 16 }));
    // Retention 30 days on 2026-03-05: 2026-02-03 is the first day kept.
    const purged = await purgeArchive(env.ARCHIVE, env.EVENTS, site, 30, NOW);
    expect(purged).toEqual(['2026-01-15', '2026-02-01']);
    expect(await listAll(env.ARCHIVE, dayPrefix(site, '2026-02-01'))).toEqual([]);
    expect(await filesOfDay(env.ARCHIVE, site, '2026-02-03')).toHaveLength(1);
    expect(await daysOfProfile(env.EVENTS, site, [old[0]!.anonymousId!, edge[0]!.anonymousId!], [])).toEqual(['2026-02-03']);
    await expect(purgeArchive(env.ARCHIVE, env.EVENTS, site, 0, NOW)).rejects.toThrow('retentionDays must be a whole number ≥ 1, got 0');
  });
});
