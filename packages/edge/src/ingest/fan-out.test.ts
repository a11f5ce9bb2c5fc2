import { describe, expect, it } from 'vitest';
import { inPool } from './fan-out.js';

describe('inPool', () => {
  it('never runs more than the limit at once and keeps the order of the items', async () => {
    let running = 0;
    let most = 0;
    const out = await inPool([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });

  it('rejects with the failure of an item', async () => {
    await expect(inPool([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error('writer 2 failed')) : n))).rejects.toThrow('writer 2 failed');
  });

  it('answers an empty list with an empty list', async () => {
    expect(await inPool([], 4, async () => 1)).toEqual([]);
  });
});
