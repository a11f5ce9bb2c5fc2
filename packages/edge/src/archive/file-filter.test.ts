import { describe, expect, it } from 'vitest';
import { demoDay } from '../../test/archive-events.js';
import type { AcceptedEvent } from '../contract/events.js';
import { emptyFile, withoutErased } from './file-filter.js';
import { tombstoneSet } from './merge.js';
import { decodeEvents, encodeEvents, openFile } from './parquet.js';

const events = demoDay({ day: '2026-03-04', events: 120, seed: 31 });
const bytes = encodeEvents(events);
const person = events[0]!.anonymousId!;
const theirs = events.filter((e) => e.anonymousId === person);
const erasedAt = (e: AcceptedEvent) => Date.parse(e.receivedAt);

describe('withoutErased', () => {
  it('drops the rows a tombstone hides, keeps the others in their order, across slices', async () => {
    const r = await withoutErased(bytes, 'f', tombstoneSet([{ kind: 'anonymous', id: person, erasedAt: Date.parse('2026-03-05T00:00:00.000Z') }]), 7);
    expect(r).not.toBeNull();
    expect(r!.hidden).toBe(theirs.length);
    const back = await decodeEvents(r!.bytes);
    expect(back.map((e) => e.messageId)).toEqual(events.filter((e) => e.anonymousId !== person).map((e) => e.messageId));
    expect(r!.rows).toBe(back.length);
  });

  it('keeps rows received after the erasure (a new consent) and answers null when nothing is hidden', async () => {
    const first = theirs.reduce((t, e) => Math.min(t, erasedAt(e)), Infinity);
    expect(await withoutErased(bytes, 'f', tombstoneSet([{ kind: 'anonymous', id: person, erasedAt: first - 1 }]))).toBeNull();
    expect(await withoutErased(bytes, 'f', tombstoneSet([{ kind: 'user', id: 'nobody', erasedAt: Date.now() }]))).toBeNull();
    expect(await withoutErased(bytes, 'f', new Map())).toBeNull();
  });

  it('gives a valid file of no rows when every row is hidden', async () => {
    const all = tombstoneSet([...new Set(events.map((e) => e.anonymousId!))].map((id) => ({ kind: 'anonymous' as const, id, erasedAt: Date.parse('2026-03-05T00:00:00.000Z') })));
    const r = await withoutErased(bytes, 'f', all);
    expect(r).toMatchObject({ rows: 0, hidden: events.length });
    expect(openFile(r!.bytes).rows).toBe(0);
    expect(await decodeEvents(emptyFile())).toEqual([]);
  });
});
