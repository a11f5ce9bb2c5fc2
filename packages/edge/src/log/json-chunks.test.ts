import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.js';

describe('jsonChunks', () => {
  it('keeps every item once, in order, each chunk within the limit', () => {
    const items = Array.from({ length: 500 }, (_, i) => ['claim-' + i, 'item-' + i, i % 7, 1]);
    const chunks = jsonChunks(items, 1_000);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(1_000);
    expect(chunks.flatMap((c) => JSON.parse(c) as unknown[])).toEqual(items);
  });
  it('sends an item larger than the limit alone, and nothing for no items', () => {
    const big = 'x'.repeat(50);
    expect(jsonChunks([1, big, 2], 20).map((c) => JSON.parse(c))).toEqual([[1], [big], [2]]);
    expect(jsonChunks([], 20)).toEqual([]);
  });
});
