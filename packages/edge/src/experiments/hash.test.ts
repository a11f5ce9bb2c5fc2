import { describe, expect, it } from 'vitest';
import { isBot, deviceOf } from './bots.js';
import { hash32 } from '../hash/fast.js';
import { bucket, pickArm, versionOf } from './hash.js';

/** Chi-square statistic of observed counts against equal expected counts. */
const chiSquare = (counts: number[]) => {
  const expected = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
};

describe('bucketing', () => {
  it('is uniform: chi-square over 100,000 sequential ids in 100 bins stays under the p=0.001 critical value', () => {
    const bins: number[] = new Array(100).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const k = Math.floor(bucket('hero-test', `user-${i}`) * 100);
      bins[k] = bins[k]! + 1;
    }
    // 99 degrees of freedom: the critical value at p = 0.001 is 148.2 (NIST/SEMATECH chi-square table).
    expect(chiSquare(bins)).toBeLessThan(148.2);
  });

  it('puts the same id in the same bucket every time, and differently per experiment', () => {
    expect(bucket('exp-a', 'visitor-1')).toBe(bucket('exp-a', 'visitor-1'));
    const moved = Array.from({ length: 1000 }, (_, i) => bucket('exp-a', `v${i}`) < 0.5 !== bucket('exp-b', `v${i}`) < 0.5).filter(Boolean).length;
    expect(moved).toBeGreaterThan(400); // independent experiments: about half the ids switch sides
    expect(moved).toBeLessThan(600);
  });

  it('splits by weight', () => {
    const arms = [{ id: 'a', weight: 20 }, { id: 'b', weight: 30 }, { id: 'c', weight: 50 }];
    expect(pickArm(arms, 0).id).toBe('a');
    expect(pickArm(arms, 0.1999).id).toBe('a');
    expect(pickArm(arms, 0.2).id).toBe('b');
    expect(pickArm(arms, 0.5).id).toBe('c');
    expect(pickArm(arms, 0.99999).id).toBe('c');
    const n = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (let i = 0; i < 100_000; i++) {
      const arm = pickArm(arms, bucket('w', `id${i}`)).id;
      n[arm] = n[arm]! + 1;
    }
    expect(n.a! / 1e5).toBeCloseTo(0.2, 1);
    expect(n.b! / 1e5).toBeCloseTo(0.3, 1);
    expect(n.c! / 1e5).toBeCloseTo(0.5, 1);
  });

  it('hashes strings with non-ASCII characters too', () => {
    expect(hash32('crème')).not.toBe(hash32('creme'));
  });
});

describe('config version', () => {
  it('ignores key order and changes with any value', () => {
    expect(versionOf({ a: 1, b: { c: 2, d: 3 } })).toBe(versionOf({ b: { d: 3, c: 2 }, a: 1 }));
    expect(versionOf({ a: 1 })).not.toBe(versionOf({ a: 2 }));
    expect(versionOf({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('bots and devices', () => {
  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', true],
    ['Mozilla/5.0 (Linux; Android 11; moto g power) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 Chrome-Lighthouse', true],
    ['facebookexternalhit/1.1', true],
    ['curl/8.4.0', true],
    ['', true],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', false],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', false],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15', false],
    ['Mozilla/5.0 (Windows NT 10.0; rv:120.0) Gecko/20100101 Firefox/120.0', false],
  ])('%s → bot: %s', (ua, bot) => expect(isBot(ua)).toBe(bot));

  it('classifies devices', () => {
    expect(deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148')).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)')).toBe('tablet');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36')).toBe('tablet');
    expect(deviceOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120')).toBe('desktop');
    expect(deviceOf(undefined)).toBeUndefined();
  });
});
