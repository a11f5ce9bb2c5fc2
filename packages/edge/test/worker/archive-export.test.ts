// The admin archive export: GET /v1/archive/events lists a site's days and files, GET /v1/archive/events/:day/:file
// serves one file — the stored bytes, or re-encoded without an erased person from the moment of the erasure.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { filesOfDay } from '../../src/archive/bucket.js';
import { compactDay } from '../../src/archive/compact.js';
import { decodeEvents } from '../../src/archive/parquet.js';
import { archiveIndexStatements, tombstone } from '../../src/archive/tombstones.js';
import { archiveMessage } from '../../src/archive/write.js';
import { archiveListingSchema, HIDDEN_HEADER, SERVED_HEADER, type ArchiveListing } from '../../src/contract/archive-export.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { demoDay } from '../archive-events.js';
import { admin, ORIGIN, post, track, uid } from './helpers.js';

const SITE = 'demo'; // the admin routes serve the config's sites

/** What the consumer does with one queue message: archive first, then the D1 index. */
async function consume(partId: string, events: AcceptedEvent[], index = true) {
  await archiveMessage(env.ARCHIVE, SITE, partId, events);
  if (index) await env.EVENTS.batch(await archiveIndexStatements(env.EVENTS, SITE, events));
}

/** `n` events of one visitor on `day`, received an hour after midnight (before any erasure a test makes). */
function visitorDay(day: string, anonymousId: string, n: number): AcceptedEvent[] {
  return demoDay({ day, events: n, seed: 7 }).map((e, i) => {
    const at = new Date(Date.parse(`${day}T01:00:00.000Z`) + i * 1000).toISOString();
    const { userId: _, ...rest } = e;
    return { ...rest, messageId: `${anonymousId}-${i}`, anonymousId, timestamp: at, receivedAt: at } as AcceptedEvent;
  });
}

async function listing(query: string): Promise<ArchiveListing> {
  const res = await admin(`/v1/archive/events?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return archiveListingSchema.parse(await res.json());
}

const download = (day: string, file: string, token = 'dev-admin') => admin(`/v1/archive/events/${day}/${encodeURIComponent(file)}`, 'GET', token);
const md5 = async (bytes: ArrayBuffer) => [...new Uint8Array(await crypto.subtle.digest('MD5', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
const ids = (events: { messageId: string }[]) => events.map((e) => e.messageId).sort();

describe('GET /v1/archive/events', () => {
  it('lists the days from since to until with their files: name, key, size, etag (MD5), rows', async () => {
    const [a, b, c] = ['2025-04-01', '2025-04-02', '2025-04-03'];
    const eventsA = demoDay({ day: a, events: 40, seed: 1 });
    const eventsB = demoDay({ day: b, events: 30, seed: 2 });
    await consume('m1', [...eventsA.slice(0, 25), ...eventsB]);
    await consume('m2', [...eventsA.slice(25), ...demoDay({ day: c, events: 5, seed: 3 })]);
    await compactDay(env.ARCHIVE, SITE, b); // one day compacted already

    const l = await listing(`since=${a}&until=${b}`);
    expect(l).toMatchObject({ site: SITE, since: a, until: b });
    expect(l.days.map((d) => d.day)).toEqual([a, b]); // c is after until
    const [dayA, dayB] = l.days;
    expect(dayA!.files.map((f) => f.name).sort()).toEqual(['part-m1.parquet', 'part-m2.parquet']);
    expect(dayA!.rows).toBe(40);
    expect(dayB!.files).toHaveLength(1);
    expect(dayB!.files[0]!.name).toMatch(/^compact-[0-9a-f]{32}\.parquet$/);
    expect(dayB!.rows).toBe(30);
    for (const f of [...dayA!.files, ...dayB!.files]) {
      const obj = (await env.ARCHIVE.get(f.key))!;
      const bytes = await obj.arrayBuffer();
      expect(f).toMatchObject({ size: bytes.byteLength, etag: await md5(bytes), filtered: false });
      expect(f.key).toBe(`events/site=${SITE}/day=${f.key.split('/')[2]!.slice(4)}/${f.name}`);
    }
    expect(dayA!.bytes).toBe(dayA!.files.reduce((n, f) => n + f.size, 0));
    // Without until: every day from since on.
    expect((await listing(`since=${b}`)).days.map((d) => d.day).filter((d) => d <= c)).toEqual([b, c]);
    // A range with nothing archived is an empty list, not an error.
    expect((await listing('since=2001-01-01&until=2001-01-31')).days).toEqual([]);
  });
});

describe('GET /v1/archive/events/:day/:file', () => {
  it('serves the stored object byte for byte, with its etag and size', async () => {
    const day = '2025-05-01';
    await consume('dl', demoDay({ day, events: 60, seed: 4 }));
    const [f] = (await listing(`since=${day}&until=${day}`)).days[0]!.files;
    const res = await download(day, f!.name);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get(SERVED_HEADER)).toBe('stored');
    expect(res.headers.get('etag')).toBe(`"${f!.etag}"`);
    expect(res.headers.get('content-length')).toBe(String(f!.size));
    expect(res.headers.get('cache-control')).toBe('no-store');
    const got = new Uint8Array(await res.arrayBuffer());
    expect(got).toEqual(new Uint8Array(await (await env.ARCHIVE.get(f!.key))!.arrayBuffer()));
  });

  it('leaves an erased person out at once (DELETE /v1/profiles/:id), in part and compacted files, before any compaction', async () => {
    const day = '2025-05-02';
    const gone = uid('anon');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(gone, 'Product Viewed', { properties: { product_id: 'p1' } })] });
    const others = demoDay({ day, events: 80, seed: 5 });
    const mine = visitorDay(day, gone, 6);
    await consume('before', [...others.slice(0, 40), ...mine.slice(0, 3)]);
    await compactDay(env.ARCHIVE, SITE, day); // a compacted file holding the person…
    await consume('after', [...others.slice(40), ...mine.slice(3)]); // …and a part file
    const before = (await listing(`since=${day}&until=${day}`)).days[0]!;
    expect(before.files.every((f) => !f.filtered)).toBe(true);

    expect((await admin(`/v1/profiles/${gone}`, 'DELETE')).status).toBe(200);
    const after = (await listing(`since=${day}&until=${day}`)).days[0]!;
    expect(after.files.map((f) => f.key)).toEqual(before.files.map((f) => f.key)); // no file was rewritten yet
    expect(after.files.every((f) => f.filtered)).toBe(true);
    const served = [];
    for (const f of after.files) {
      const res = await download(day, f.name);
      expect(res.status).toBe(200);
      expect(res.headers.get(SERVED_HEADER)).toBe('filtered');
      expect(res.headers.get('etag')).toBeNull();
      served.push({ hidden: Number(res.headers.get(HIDDEN_HEADER)), events: await decodeEvents(await res.arrayBuffer()) });
    }
    expect(served.map((s) => s.hidden)).toEqual([3, 3]);
    const rows = served.flatMap((s) => s.events);
    expect(rows.filter((e) => e.anonymousId === gone)).toEqual([]);
    expect(ids(rows)).toEqual(ids(others));
    // The files in R2 still hold the person until the cron's compaction rewrites them.
    const stored = (await Promise.all(after.files.map(async (f) => decodeEvents(await (await env.ARCHIVE.get(f.key))!.arrayBuffer())))).flat();
    expect(stored.filter((e) => e.anonymousId === gone)).toHaveLength(6);
  });

  it('checks a part file row by row even before the index names the person (the consumer writes R2, then D1)', async () => {
    const day = '2025-05-03';
    const gone = uid('anon');
    const others = demoDay({ day, events: 20, seed: 6 });
    await consume('unindexed', [...others, ...visitorDay(day, gone, 4)], false);
    await tombstone(env.EVENTS, SITE, [gone], [], Date.now());
    const res = await download(day, 'part-unindexed.parquet');
    expect(res.headers.get(SERVED_HEADER)).toBe('filtered');
    expect(res.headers.get(HIDDEN_HEADER)).toBe('4');
    expect(ids(await decodeEvents(await res.arrayBuffer()))).toEqual(ids(others));
  });

  it('serves a valid empty file when every row of it was an erased person', async () => {
    const day = '2025-05-04';
    const gone = uid('anon');
    await consume('alone', visitorDay(day, gone, 5));
    await tombstone(env.EVENTS, SITE, [gone], [], Date.now());
    const res = await download(day, 'part-alone.parquet');
    expect(res.status).toBe(200);
    expect(res.headers.get(HIDDEN_HEADER)).toBe('5');
    expect(await decodeEvents(await res.arrayBuffer())).toEqual([]);
  });
});

describe('bad requests', () => {
  it('refuse bad day and file names with 400, unknown files and sites with 404, each naming what was wrong', async () => {
    const day = '2025-06-01';
    await consume('here', demoDay({ day, events: 3, seed: 8 }));
    const cases: [string, number, RegExp][] = [
      ['/v1/archive/events/2025-13-01/part-here.parquet', 400, /^day: expected a calendar day YYYY-MM-DD, got "2025-13-01"$/],
      ['/v1/archive/events/yesterday/part-here.parquet', 400, /^day: .*got "yesterday"/],
      [`/v1/archive/events/${day}/part-here.csv`, 400, /^file: expected a file name of the archive .*got "part-here\.csv"/],
      [`/v1/archive/events/${day}/${encodeURIComponent('../day=2025-05-01/part-dl.parquet')}`, 400, /^file: .*no "\/" or "\.\."\), got "\.\.\/day=2025-05-01\/part-dl\.parquet"/],
      [`/v1/archive/events/${day}/a..b.parquet`, 400, /^file: .*got "a\.\.b\.parquet"/],
      [`/v1/archive/events/${day}/%E0%A4%A.parquet`, 400, /^file: not a valid percent-encoded path segment/],
      [`/v1/archive/events/${day}/part-nothere.parquet`, 404, /^file: no "part-nothere\.parquet" on 2025-06-01 for site "demo" \(GET \/v1\/archive\/events\?since=2025-06-01&until=2025-06-01 lists/],
      [`/v1/archive/events/${day}/part-here.parquet?site=other`, 404, /^site: unknown site "other"$/],
      ['/v1/archive/events', 400, /^since: missing query parameter, a day YYYY-MM-DD/],
      ['/v1/archive/events?since=2025-02-30', 400, /^since: expected a calendar day YYYY-MM-DD, got "2025-02-30"$/],
      ['/v1/archive/events?since=2025-06-02&until=2025-06-01', 400, /^until: 2025-06-01 is before since \(2025-06-02\)$/],
    ];
    for (const [path, status, message] of cases) {
      const res = await admin(path);
      const body = (await res.json()) as { success: boolean; error: string };
      expect(res.status, path).toBe(status);
      expect(body.success).toBe(false);
      expect(body.error, path).toMatch(message);
    }
    // The right name of the same day still downloads.
    expect((await download(day, 'part-here.parquet')).status).toBe(200);
  });

  it('answer 401 without the admin token or with a wrong one, and show nothing', async () => {
    for (const path of ['/v1/archive/events?since=2025-01-01', '/v1/archive/events/2025-06-01/part-here.parquet']) {
      const none = await SELF.fetch(`${ORIGIN}${path}`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: string }).error).toMatch(/missing admin token/);
      const wrong = await SELF.fetch(`${ORIGIN}${path}`, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status).toBe(401);
      expect(Object.keys((await wrong.json()) as object).sort()).toEqual(['error', 'success']);
    }
  });
});

it('filesOfDay and the listing agree on what a day holds', async () => {
  const day = '2025-07-01';
  await consume('x', demoDay({ day, events: 10, seed: 9 }));
  await consume('y', demoDay({ day, events: 10, seed: 10 }));
  const listed = (await listing(`since=${day}&until=${day}`)).days[0]!.files.map((f) => f.key);
  expect(listed).toEqual((await filesOfDay(env.ARCHIVE, SITE, day)).map((f) => f.key));
});
