import { describe, expect, it } from 'vitest';
import { onFirstUse } from './on-first-use.js';

describe('onFirstUse', () => {
  it('keeps the first app to be made: callers racing before it exists each make one, and all later calls share the winner', async () => {
    const releases: (() => void)[] = [];
    let n = 0;
    const app = onFirstUse(() => new Promise<number>((ok) => releases.push(() => ok(++n))));
    const first = app();
    const second = app();
    releases[1]!(); // the second caller's app is made first
    expect(await second).toBe(1);
    releases[0]!();
    expect(await first).toBe(1);
    expect(await app()).toBe(1);
    expect(releases).toHaveLength(2);
  });
});
