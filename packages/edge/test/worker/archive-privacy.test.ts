// Privacy in the archive: an erasure hides the person at once, compaction removes them from the files, the
// profile export includes their archived events; wired into DELETE /v1/profiles/:id and consent withdrawal.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { filesOfDay } from '../../src/archive/bucket.js';
import { compactArchive } from '../../src/archive/compact.js';
import { decodeEvents } from '../../src/archive/parquet.js';
import { purgeArchive } from '../../src/archive/purge.js';
import { archivedEventsOf, readDay } from '../../src/archive/read.js';
import { archiveIndexStatements, daysOfProfile, loadTombstones, tombstone } from '../../src/archive/tombstones.js';
import { archiveMessage } from '../../src/archive/write.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { demoDay } from '../archive-events.js';
import { admin, post, track, uid } from './helpers.js';

const NOW = Date.parse('2026-03-05T03:17:00.000Z');
const deps = { bucket: env.ARCHIVE, db: env.EVENTS };

async function consume(site: string, partId: string, events: AcceptedEvent[]) {
  await archiveMessage(env.ARCHIVE, site, partId, events);
  await env.EVENTS.batch(await archiveIndexStatements(env.EVENTS, site, events));
}

/** `n` events of one person in the first minute of `day` (UTC). */
function personDay(day: string, anonymousId: string, n: number, extra: Partial<AcceptedEvent> = {}): AcceptedEvent[] {
  return demoDay({ day, events: n, seed: n }).map((e, i) => {
    const at = new Date(Date.parse(`${day}T00:00:00.000Z`) + i * 1000).toISOString();
    const { userId: _, ...rest } = e;
    return { ...rest, messageId: `${anonymousId}-${day}-${i}`, anonymousId, timestamp: at, receivedAt: at, ...extra } as AcceptedEvent;
  });
}

const allRowsOf = async (site: string, day: string) =>
  (await Promise.all((await filesOfDay(env.ARCHIVE, site, day)).map(async (f) => decodeEvents(await (await env.ARCHIVE.get(f.key))!.arrayBuffer())))).flat();

describe('tombstones', () => {
  it('hide an erased person from every read at once and name the days to rewrite', async () => {
    const site = uid('site');
    const gone = uid('anon');
    const user = uid('user');
    const others = demoDay({ day: '2026-03-04', events: 50, seed: 21 });
    await consume(site, 'a', [...others, ...personDay('2026-03-04', gone, 5), ...personDay('2026-02-10', gone, 3, { userId: user })]);
    await consume(site, 'b', personDay('2026-03-01', 'someone-else', 2, { userId: user }));
    expect(await archivedEventsOf(env.ARCHIVE, env.EVENTS, site, [gone], [])).toHaveLength(8);

    const days = await tombstone(env.EVENTS, site, [gone], [user], NOW);
    expect(days).toEqual(['2026-02-10', '2026-03-01', '2026-03-04']);
    expect(await archivedEventsOf(env.ARCHIVE, env.EVENTS, site, [gone], [user])).toEqual([]);
    const day = await readDay(env.ARCHIVE, env.EVENTS, site, '2026-03-04');
    expect(day.map((e) => e.messageId).sort()).toEqual(others.map((e) => e.messageId).sort());
    // The files still hold them until the compaction.
    expect((await allRowsOf(site, '2026-03-04')).filter((e) => e.anonymousId === gone)).toHaveLength(5);
  });

  it('do not hide what the same id sends after the erasure (a new consent)', async () => {
    const site = uid('site');
    const back = uid('anon');
    await consume(site, 'a', personDay('2026-03-04', back, 2, { receivedAt: '2026-03-04T10:00:00.000Z' }));
    await tombstone(env.EVENTS, site, [back], [], Date.parse('2026-03-04T12:00:00.000Z'));
    const later = personDay('2026-03-04', back, 1, { receivedAt: '2026-03-04T13:00:00.000Z' }).map((e) => ({ ...e, messageId: `${e.messageId}-later` }));
    await consume(site, 'b', later);
    expect((await archivedEventsOf(env.ARCHIVE, env.EVENTS, site, [back], [])).map((e) => e.messageId)).toEqual([later[0]!.messageId]);
  });

  it('are applied by the next compaction to every day the index names, then done, and the index forgets the person', async () => {
    const site = uid('site');
    const gone = uid('anon');
    const others = demoDay({ day: '2026-02-10', events: 20, seed: 22 });
    await consume(site, 'a', [...others, ...personDay('2026-02-10', gone, 4), ...personDay('2026-03-05', gone, 2)]);
    await compactArchive(deps, { id: site, retentionDays: 395 }, NOW - 86_400_000 * 10); // the old day is compacted once already
    expect(await filesOfDay(env.ARCHIVE, site, '2026-02-10')).toHaveLength(1);

    await tombstone(env.EVENTS, site, [gone], [], NOW - 60_000);
    const run = await compactArchive(deps, { id: site, retentionDays: 395 }, NOW);
    // Yesterday (empty here), the old day and today, both named by the index.
    expect(run.days.map((d) => [d.day, d.erased])).toEqual([
      ['2026-02-10', 4],
      ['2026-03-04', 0],
      ['2026-03-05', 2],
    ]);
    expect(run.tombstonesDone).toBe(1);
    for (const day of ['2026-02-10', '2026-03-05']) expect((await allRowsOf(site, day)).filter((e) => e.anonymousId === gone)).toEqual([]);
    expect((await allRowsOf(site, '2026-02-10')).map((e) => e.messageId).sort()).toEqual(others.map((e) => e.messageId).sort());
    expect(await daysOfProfile(env.EVENTS, site, [gone], [])).toEqual([]);
    const [t] = await loadTombstones(env.EVENTS, site);
    expect(t).toMatchObject({ kind: 'anonymous', id: gone });
    // Nothing pending any more: the next run only looks at yesterday.
    expect((await compactArchive(deps, { id: site, retentionDays: 395 }, NOW)).days.map((d) => d.day)).toEqual(['2026-03-04']);
  });

  it('late rows of an erased person (archived after the compaction) are removed by the next one', async () => {
    const site = uid('site');
    const gone = uid('anon');
    await consume(site, 'a', personDay('2026-03-03', gone, 2));
    await tombstone(env.EVENTS, site, [gone], [], NOW - 60_000);
    await compactArchive(deps, { id: site, retentionDays: 395 }, NOW);
    // A queue message held back since before the erasure arrives now.
    await consume(site, 'late', personDay('2026-03-03', gone, 3).map((e) => ({ ...e, messageId: `${e.messageId}-late` })));
    expect(await archivedEventsOf(env.ARCHIVE, env.EVENTS, site, [gone], [])).toEqual([]);
    const run = await compactArchive(deps, { id: site, retentionDays: 395 }, NOW + 3_600_000);
    expect(run.days.find((d) => d.day === '2026-03-03')?.erased).toBe(3);
    expect(await allRowsOf(site, '2026-03-03')).toEqual([]);
  });

  it('are deleted once retention has removed every day that could hold their rows', async () => {
    const site = uid('site');
    await tombstone(env.EVENTS, site, ['old'], [], Date.parse('2026-01-10T12:00:00.000Z'));
    await tombstone(env.EVENTS, site, ['recent'], [], Date.parse('2026-02-02T12:00:00.000Z'));
    await purgeArchive(env.ARCHIVE, env.EVENTS, site, 30, NOW); // keeps 2026-02-03 on
    expect((await loadTombstones(env.EVENTS, site)).map((t) => t.id)).toEqual(['recent']);
  });
});

describe('erase and export of a profile include the archive', () => {
  async function personWithArchive() {
    const anon = uid('anon');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed', { properties: { product_id: 'p1' } })] });
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const archived = personDay(day, anon, 4, { receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    await consume('demo', uid('part'), archived);
    return { anon, day, archived };
  }

  it('GET /v1/profiles/:id/export holds the archived events, each once', async () => {
    const { anon, archived } = await personWithArchive();
    const res = await admin(`/v1/profiles/${anon}/export`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: { messageId: string }[] };
    const got = body.events.map((e) => e.messageId);
    for (const e of archived) expect(got).toContain(e.messageId);
    expect(new Set(got).size).toBe(got.length);
  });

  it('DELETE /v1/profiles/:id tombstones the person: the archive hides them at once', async () => {
    const { anon, day } = await personWithArchive();
    expect((await admin(`/v1/profiles/${anon}`, 'DELETE')).status).toBe(200);
    expect(await archivedEventsOf(env.ARCHIVE, env.EVENTS, 'demo', [anon], [])).toEqual([]);
    expect((await readDay(env.ARCHIVE, env.EVENTS, 'demo', day)).filter((e) => e.anonymousId === anon)).toEqual([]);
  });

  it('a consent withdrawal tombstones the person too', async () => {
    const { anon } = await personWithArchive();
    await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: { analytics: false, personalization: false } });
    expect((await loadTombstones(env.EVENTS, 'demo')).some((t) => t.kind === 'anonymous' && t.id === anon)).toBe(true);
    expect(await archivedEventsOf(env.ARCHIVE, env.EVENTS, 'demo', [anon], [])).toEqual([]);
  });
});
