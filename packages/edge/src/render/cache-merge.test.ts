// The origin's caching can only be made stricter by Attune, never looser.
import { describe, expect, it } from 'vitest';
import { mergeCaching, unionVary } from './cache-merge.js';

const PUBLIC_60 = 'public, max-age=60'; // Attune's policy for a page nobody's consent personalizes
const PRIVATE = 'private, no-store'; // Attune's policy for a personalized page
const merge = (origin: string | null, attune = PUBLIC_60, more: { vary?: string[]; setsCookie?: boolean; authorized?: boolean } = {}) =>
  mergeCaching({ origin, attune, vary: more.vary ?? ['Cookie'], setsCookie: more.setsCookie ?? false, authorized: more.authorized ?? false });

describe('mergeCaching', () => {
  it.each([
    ['private', 'private'],
    ['no-store', 'no-store'],
    ['no-cache', 'no-cache'],
    ['private with a lifetime', 'private, max-age=600'],
    ['no-cache naming a field', 'public, no-cache="Set-Cookie", max-age=600'],
    ['uppercase directives', 'PRIVATE, MAX-AGE=600'],
    ['nothing about sharing or lifetime', 'no-transform'],
  ])('never makes an origin answer that says %s public', (_, origin) => {
    expect(merge(origin).cacheControl).toBe('private, no-store');
  });

  it('is private when the origin sent no Cache-Control at all', () => {
    expect(merge(null).cacheControl).toBe('private, no-store');
  });

  it('is private whenever the answer sets a cookie, whatever the origin said', () => {
    expect(merge('public, max-age=600', PUBLIC_60, { setsCookie: true }).cacheControl).toBe('private, no-store');
  });

  it("is private, no-store when Attune personalizes the page, whatever the origin said", () => {
    for (const origin of [null, 'public, max-age=600', 'public, s-maxage=3600, immutable', 'private'])
      expect(merge(origin, PRIVATE).cacheControl).toBe('private, no-store');
  });

  it('takes the shorter max-age of the two', () => {
    expect(merge('public, max-age=600').cacheControl).toBe('public, max-age=60');
    expect(merge('public, max-age=10').cacheControl).toBe('public, max-age=10');
    expect(merge('max-age=600').cacheControl).toBe('public, max-age=60'); // shareable without `public` (RFC 9111)
  });

  it("bounds shared caches by the origin's s-maxage and by Attune's lifetime", () => {
    expect(merge('public, max-age=600, s-maxage=30').cacheControl).toBe('public, max-age=60, s-maxage=30');
    expect(merge('public, s-maxage=600').cacheControl).toBe('public, max-age=60');
    expect(merge('public, max-age=10, s-maxage=600').cacheControl).toBe('public, max-age=10, s-maxage=60');
    expect(merge('public, max-age=600, s-maxage=0').cacheControl).toBe('public, max-age=60, s-maxage=0');
  });

  it('reads an unreadable lifetime as 0', () => {
    expect(merge('public, max-age=ten').cacheControl).toBe('public, max-age=0');
  });

  it('keeps must-revalidate and proxy-revalidate, drops what would serve stale or forever', () => {
    expect(merge('public, max-age=600, must-revalidate').cacheControl).toBe('public, max-age=60, must-revalidate');
    expect(merge('public, max-age=600, proxy-revalidate, stale-while-revalidate=86400, stale-if-error=86400, immutable').cacheControl).toBe('public, max-age=60, proxy-revalidate');
  });

  it("shares an answer to an authorized request only when the origin says it may (RFC 9111 §3.5)", () => {
    expect(merge('max-age=600', PUBLIC_60, { authorized: true }).cacheControl).toBe('private, no-store');
    expect(merge('public, max-age=600', PUBLIC_60, { authorized: true }).cacheControl).toBe('public, max-age=60');
    expect(merge('s-maxage=600', PUBLIC_60, { authorized: true }).cacheControl).toBe('public, max-age=60');
  });

  it('takes the union of Vary, and Vary: * makes the answer private', () => {
    expect(merge('public, max-age=600', PUBLIC_60, { vary: ['Accept-Encoding, cookie', 'Cookie', 'User-Agent'] })).toEqual({ cacheControl: 'public, max-age=60', vary: ['Accept-Encoding', 'cookie', 'User-Agent'] });
    expect(merge('public, max-age=600', PUBLIC_60, { vary: ['*', 'Cookie'] })).toEqual({ cacheControl: 'private, no-store', vary: ['*'] });
    expect(unionVary(['Accept-Language', ' ', 'accept-language,Cookie'])).toEqual(['Accept-Language', 'Cookie']);
  });
});
