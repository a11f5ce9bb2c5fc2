import { describe, expect, it } from 'vitest';
import type { Row } from './columns.js';
import { chunk, idsDigest, isErased, mergeRows, tombstoneSet } from './merge.js';

const row = (id: string, at: number, extra: Partial<Row> = {}): Row => ({ message_id: id, timestamp: at, received_at: at + 10, anonymous_id: 'a', user_id: null, ...extra });

describe('archive merge', () => {
  it('keeps one row per message id, the earliest received, whatever the order', () => {
    const late = row('m1', 100, { received_at: 500, event: 'late' });
    const early = row('m1', 100, { received_at: 200, event: 'early' });
    for (const rows of [[late, early, row('m2', 50)], [early, row('m2', 50), late]]) {
      const m = mergeRows(rows);
      expect(m.rows.map((r) => [r.message_id, r.event ?? null])).toEqual([['m2', null], ['m1', 'early']]);
      expect(m.duplicates).toBe(1);
    }
  });

  it('hides rows of an erased id received up to the erasure, not a later visit', () => {
    const t = tombstoneSet([
      { kind: 'anonymous', id: 'gone', erasedAt: 1000 },
      { kind: 'user', id: 'u-gone', erasedAt: 1000 },
    ]);
    expect(isErased(row('m', 0, { anonymous_id: 'gone', received_at: 1000 }), t)).toBe(true);
    expect(isErased(row('m', 0, { anonymous_id: 'gone', received_at: 1001 }), t)).toBe(false);
    expect(isErased(row('m', 0, { anonymous_id: 'other', user_id: 'u-gone', received_at: 5 }), t)).toBe(true);
    // An id is erased by its kind: a user id equal to an erased anonymous id is someone else.
    expect(isErased(row('m', 0, { anonymous_id: 'x', user_id: 'gone', received_at: 5 }), t)).toBe(false);
    const m = mergeRows([row('m1', 1, { anonymous_id: 'gone' }), row('m2', 2), row('m3', 3, { user_id: 'u-gone' })], t);
    expect(m.rows.map((r) => r.message_id)).toEqual(['m2']);
    expect(m.erased).toBe(2);
  });

  it('sorts by time then message id', () => {
    expect(mergeRows([row('b', 2), row('c', 1), row('a', 2)]).rows.map((r) => r.message_id)).toEqual(['c', 'a', 'b']);
  });

  it('chunks rows and refuses a nonsense size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow('rows per file must be at least 1, got 0');
  });

  it('names content by its set of message ids, the same on a rerun', async () => {
    const a = await idsDigest(['m1', 'm2']);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await idsDigest(['m2', 'm1'])).toBe(a);
    expect(await idsDigest(['m1'])).not.toBe(a);
  });
});
