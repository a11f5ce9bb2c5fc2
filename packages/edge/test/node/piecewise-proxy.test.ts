import { describe, expect, it } from 'vitest';
import { cutPoints } from './piecewise-proxy.js';

describe('cutPoints', () => {
  it('cuts right after every image tag and every n characters, in order, never at either end', () => {
    const html = '<p>ab</p><img src="a.svg" alt="">cd<img src=b>';
    expect(cutPoints(html, 10)).toEqual([10, 20, 30, 33, 40]);
    expect(html.slice(0, 33).endsWith('alt="">')).toBe(true);
    expect(cutPoints(html, 1000)).toEqual([33]);
  });
});
