// Group commit: concurrent writes share a flush, each caller hears about its own items only, and one bad
// item does not fail the callers it was grouped with.
import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

describe('groupCommit', () => {
  it('writes what arrives during a flush together in the next one, and every item exactly once', async () => {
    const flushes: number[][] = [];
    const g = groupCommit<number>(async (items) => {
      flushes.push(items);
      await new Promise((r) => setTimeout(r, 5));
    }, 100);
    await Promise.all([g.add([1]), g.add([2, 3]), g.add([4]), g.add([5])]);
    expect(flushes).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('caps a flush at maxItems (whole callers), the rest follows', async () => {
    const flushes: number[][] = [];
    const g = groupCommit<number>(async (items) => void flushes.push(items), 3);
    await Promise.all([g.add([0]), g.add([1, 2]), g.add([3, 4]), g.add([5])]);
    expect(flushes).toEqual([[0], [1, 2], [3, 4, 5]]);
  });

  it('rejects only the caller whose items fail, retrying the others on their own', async () => {
    const g = groupCommit<string>(async (items) => {
      await new Promise((r) => setTimeout(r, 1));
      if (items.includes('bad')) throw new Error('bad row');
    }, 100);
    const first = g.add(['a']);
    const results = await Promise.allSettled([g.add(['b']), g.add(['bad']), g.add(['c'])]);
    await first;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // And the loop goes on afterwards.
    await expect(g.add(['d'])).resolves.toBeUndefined();
  });
});
