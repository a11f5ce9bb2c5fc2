import { describe, expect, it } from 'vitest';
import { compactKey, dayBefore, dayOf, dayOfPrefix, dayPrefix, escapeSegment, isDay, parseKey, partKey, sitePrefix } from './layout.js';

describe('archive layout', () => {
  it('puts a day of a site in a Hive partition', () => {
    expect(partKey('demo', '2026-03-04', 'abc-123')).toBe('events/site=demo/day=2026-03-04/part-abc-123.parquet');
    expect(compactKey('demo', '2026-03-04', '0123456789abcdef')).toBe('events/site=demo/day=2026-03-04/compact-0123456789abcdef.parquet');
  });

  it.each([
    ['../x', '..%2Fx'],
    ['a/b', 'a%2Fb'],
    ['%', '%25'],
    ['=', '%3D'],
    ['site=evil/day=2020-01-01', 'site%3Devil%2Fday%3D2020-01-01'],
    ['..', '..'],
    ['a b?#', 'a%20b%3F%23'],
    ['é☃', '%C3%A9%E2%98%83'],
  ])('keeps the hostile site id %j as data: %s', (site, escaped) => {
    expect(escapeSegment(site)).toBe(escaped);
    const key = partKey(site, '2026-03-04', 'p/../q');
    // Exactly the four segments of the layout, whatever the id held.
    expect(key.split('/')).toHaveLength(4);
    expect(key.startsWith(`events/site=${escaped}/day=2026-03-04/part-`)).toBe(true);
    expect(parseKey(key)).toEqual({ site, day: '2026-03-04', file: 'part-p%2F..%2Fq.parquet' });
    expect(dayOfPrefix(site, `${sitePrefix(site)}day=2026-03-04/`)).toBe('2026-03-04');
  });

  it('gives two different sites two different prefixes, neither inside the other', () => {
    const ids = ['a', 'a/b', 'a%2Fb', 'a=b', 'a%3Db', '%'];
    const prefixes = ids.map(sitePrefix);
    expect(new Set(prefixes).size).toBe(ids.length);
    for (const p of prefixes) for (const q of prefixes) if (p !== q) expect(q.startsWith(p)).toBe(false);
  });

  it('refuses what is no key of the layout and names bad input', () => {
    expect(parseKey('events/site=demo/day=2026-02-30/part-x.parquet')).toBeNull();
    expect(parseKey('events/site=demo/day=2026-02-03/x/part-x.parquet')).toBeNull();
    expect(parseKey('events/site=de/mo/day=2026-02-03/part-x.parquet')).toBeNull();
    expect(parseKey('events/site=%ZZ/day=2026-02-03/part-x.parquet')).toBeNull();
    expect(parseKey('other/site=demo/day=2026-02-03/part-x.parquet')).toBeNull();
    expect(() => dayPrefix('demo', '2026-13-01')).toThrow(/day must be a calendar day/);
    expect(() => sitePrefix('')).toThrow(/site must be a non-empty string/);
    expect(() => partKey('demo', '2026-01-01', '')).toThrow(/partId/);
    expect(() => compactKey('demo', '2026-01-01', '../x')).toThrow(/digest/);
  });

  it('takes the UTC day of a timestamp, whatever its offset', () => {
    expect(dayOf('2026-03-04T23:59:59.999Z')).toBe('2026-03-04');
    expect(dayOf('2026-03-05T00:30:00+01:00')).toBe('2026-03-04');
    expect(() => dayOf('yesterday', 'event "m1": timestamp')).toThrow('event "m1": timestamp is not a date-time');
    expect(dayBefore(Date.parse('2026-03-04T00:00:00Z'), 1)).toBe('2026-03-03');
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
  });
});
