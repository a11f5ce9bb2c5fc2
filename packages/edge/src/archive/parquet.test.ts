import { describe, expect, it } from 'vitest';
import { demoDay } from '../../test/archive-events.js';
import type { AcceptedEvent } from '../contract/events.js';
import { ARCHIVE_SCHEMA_VERSION, COLUMNS, fromRow, toRow } from './columns.js';
import { PARQUET_SCHEMA, decodeEvents, decodeRows, encodeEvents, encodeRows } from './parquet.js';

/** What a round trip keeps: null and absent are one, timestamps come back as ISO UTC with milliseconds. */
function normalized(e: object): Record<string, unknown> {
  const out = Object.entries(e)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k, ['timestamp', 'receivedAt', 'sentAt', 'originalTimestamp'].includes(k) ? new Date(v as string).toISOString() : v]);
  return Object.fromEntries(out);
}

const proto = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1, "ok": "é"}') as Record<string, unknown>;

const every: AcceptedEvent[] = [
  {
    type: 'track',
    event: 'Product Viewed ☃',
    messageId: 'm-1',
    anonymousId: 'a-1',
    userId: 'u-1',
    timestamp: '2026-03-04T10:00:00.123Z',
    receivedAt: '2026-03-04T10:00:01.000Z',
    sentAt: '2026-03-04T12:00:00.500+02:00',
    originalTimestamp: '2026-03-04T10:00:00.123Z',
    trust: 'server',
    properties: { ...proto, nested: { deep: [1, 'two', null, { x: 3.5 }] }, emoji: '😀👍', zh: '护肤品', nul: 'a\u0000b', big: 2 ** 53 - 1, neg: -0.25 },
    context: JSON.parse('{"__proto__": "ctx", "page": {"path": "/é"}, "locale": "de-DE", "consent": {"analytics": true, "personalization": false}}'),
    integrations: { All: false, 'Google Analytics': true },
  } as unknown as AcceptedEvent,
  { type: 'page', messageId: 'm-2', anonymousId: 'a-1', name: 'Home', category: 'Landing', timestamp: '2026-03-04T10:00:02.000Z', receivedAt: '2026-03-04T10:00:02.000Z', properties: {} } as AcceptedEvent,
  { type: 'screen', messageId: 'm-3', userId: 'u-2', name: null, timestamp: '2026-03-04T10:00:03.000Z', receivedAt: '2026-03-04T10:00:03.000Z' } as unknown as AcceptedEvent,
  { type: 'identify', messageId: 'm-4', anonymousId: 'a-2', userId: 'u-2', traits: { email: 'ada@example.com', __proto__x: 1 }, timestamp: '2026-03-04T10:00:04.000Z', receivedAt: '2026-03-04T10:00:04.000Z', trust: 'proof' } as AcceptedEvent,
  { type: 'group', messageId: 'm-5', userId: 'u-2', groupId: 'g-1', traits: { plan: 'pro' }, timestamp: '2026-03-04T10:00:05.000Z', receivedAt: '2026-03-04T10:00:05.000Z' } as unknown as AcceptedEvent,
  { type: 'alias', messageId: 'm-6', userId: 'u-3', previousId: 'a-9', timestamp: '2026-03-04T10:00:06.000Z', receivedAt: '2026-03-04T10:00:06.000Z' } as unknown as AcceptedEvent,
  // Fields this version has no column for (a loose envelope keeps them) go into `extra`, a `__proto__` key too.
  JSON.parse(
    '{"type":"track","event":"X","messageId":"m-7","anonymousId":"a-3","timestamp":"2026-03-04T23:59:59.999Z","receivedAt":"2026-03-05T00:00:00.001Z","channel":"server","version":2,"__proto__":{"admin":true},"_metadata":{"bundled":["Segment.io"]}}',
  ) as AcceptedEvent,
];

describe('archive Parquet encoding, schema v1', () => {
  it('has one column per envelope field, JSON objects as text, times as UTC timestamps', () => {
    const names = PARQUET_SCHEMA.slice(1).map((s) => s.name);
    expect(names).toEqual(['schema_version', ...COLUMNS.map((c) => c.column), 'extra']);
    const ts = PARQUET_SCHEMA.find((s) => s.name === 'timestamp')!;
    expect(ts.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(PARQUET_SCHEMA.find((s) => s.name === 'properties')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
  });

  it('round-trips every field, unicode, and __proto__ keys as data', async () => {
    const back = await decodeEvents(encodeEvents(every));
    expect(back.map(normalized)).toEqual(every.map(normalized));
    const [first] = back as unknown as Record<string, Record<string, unknown>>[];
    expect(Object.hasOwn(first!.properties!, '__proto__')).toBe(true);
    expect(first!.properties!['__proto__']).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(first!.properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const last = back[6] as unknown as Record<string, unknown>;
    expect(Object.hasOwn(last, '__proto__')).toBe(true);
    expect(last.channel).toBe('server');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // The sender's offset is not kept, the instant is.
    expect((back[0] as { sentAt?: string }).sentAt).toBe('2026-03-04T10:00:00.500Z');
  });

  it('stores the version in every row and in the file metadata, and refuses another version', async () => {
    const rows = await decodeRows(encodeEvents(every.slice(0, 2)));
    expect(rows.map((r) => r.schema_version)).toEqual([ARCHIVE_SCHEMA_VERSION, ARCHIVE_SCHEMA_VERSION]);
    const bytes = encodeRows([toRow(every[1]!)]);
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('attune.archive.schema_version');
    expect(at).toBeGreaterThan(0);
    // Rewrite the version's one digit (same length, so the footer stays valid): the reader must refuse the file.
    const v = text.indexOf(String(ARCHIVE_SCHEMA_VERSION), at + 'attune.archive.schema_version'.length);
    const other = bytes.slice();
    other[v] = '9'.charCodeAt(0);
    await expect(decodeRows(other, 'events/x.parquet')).rejects.toThrow('archive: events/x.parquet has schema version "9", this reader reads 1');
  });

  it('names the event and field it cannot store', () => {
    expect(() => toRow({ ...every[1]!, timestamp: 'soon' })).toThrow('archive: event "m-2": timestamp is not a date-time: "soon"');
    expect(() => toRow({ ...every[1]!, messageId: undefined } as unknown as AcceptedEvent)).toThrow('messageId is required');
    expect(() => encodeRows([])).toThrow('no rows to encode');
  });

  it('keeps a value that does not fit its optional column in extra, as sent, instead of refusing the event', () => {
    const odd = { ...every[1]!, anonymousId: 7, previousId: 12, sentAt: 'soon' } as unknown as AcceptedEvent;
    const row = toRow(odd);
    expect([row.anonymous_id, row.previous_id, row.sent_at]).toEqual([null, null, null]);
    expect(fromRow(row)).toEqual(odd);
  });

  it('keeps demo-like events small: bytes per 10,000', async () => {
    const events = demoDay({ day: '2026-03-04', events: 10_000 });
    const bytes = encodeEvents(events);
    const json = new TextEncoder().encode(JSON.stringify(events)).length;
    console.log(`archive: 10,000 demo events → ${bytes.length} bytes Parquet (snappy), ${json} bytes as JSON`);
    expect(bytes.length).toBeLessThan(json / 4);
    expect((await decodeEvents(bytes)).length).toBe(10_000);
  });
});
