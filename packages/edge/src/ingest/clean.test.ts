import { describe, expect, it } from 'vitest';
import { capitalizeName, cleanEmail, cleanTraits, countryOf, sanitize, toE164, type Flag } from './clean.js';

describe('cleaning', () => {
  it('trims and lowercases emails and flags invalid ones', () => {
    expect(cleanEmail('  Ada@Example.COM ')).toEqual({ value: 'ada@example.com', valid: true });
    for (const bad of ['ada@', 'ada@example', 'a b@example.com', '@x.io']) expect(cleanEmail(bad).valid, bad).toBe(false);
  });

  it('normalizes phone numbers to E.164 where the country is known, and only then', () => {
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('0044 20 7946 0958')).toBe('+442079460958');
    expect(toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(toE164('1-415-555-2671', 'US')).toBe('+14155552671');
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
    expect(toE164('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(toE164('06 1234 5678', 'IT')).toBe('+390612345678');
    expect(toE164('030 1234567')).toBeNull(); // no country: cannot be placed
    expect(toE164('call me', 'US')).toBeNull();
    expect(toE164('555-2671', 'US')).toBeNull();
    expect(countryOf({}, 'de-DE')).toBe('DE');
    expect(countryOf({ address: { country: 'fr' } }, 'de-DE')).toBe('FR');
  });

  it('capitalizes names written in one case and leaves mixed case alone', () => {
    expect(capitalizeName('ADA LOVELACE')).toBe('Ada Lovelace');
    expect(capitalizeName("jean-luc o'brien")).toBe("Jean-Luc O'Brien");
    expect(capitalizeName('  élodie   durand ')).toBe('Élodie Durand');
    expect(capitalizeName('Ludwig van Beethoven')).toBe('Ludwig van Beethoven');
    expect(capitalizeName('McDonald')).toBe('McDonald');
  });

  it('cleans traits in place and flags what it could not fix', () => {
    const flags: Flag[] = [];
    const traits: Record<string, unknown> = { email: 'BAD@', phone: '0170 1234567', firstName: 'ADA' };
    cleanTraits(traits, 'traits', flags);
    expect(traits).toEqual({ email: 'bad@', phone: '0170 1234567', firstName: 'Ada' });
    expect(flags).toEqual([
      { path: 'traits.email', issue: 'invalid email' },
      { path: 'traits.phone', issue: 'phone without country' },
    ]);
    const t2: Record<string, unknown> = { phone: '0170 1234567', country: 'DE' };
    cleanTraits(t2, 'traits', flags);
    expect(t2.phone).toBe('+491701234567');
  });

  it('keeps keys named after Object.prototype as ordinary own keys, never touching a prototype', () => {
    const flags: Flag[] = [];
    const raw = JSON.parse('{"a":{"__proto__":{"x":1},"constructor":{"prototype":2},"toString":"t","hasOwnProperty":3,"valueOf":[4]}}');
    const r = sanitize(raw, flags) as { value: { a: Record<string, unknown> } };
    expect(Object.keys(r.value.a)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']);
    expect(Object.getOwnPropertyDescriptor(r.value.a, '__proto__')!.value).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(r.value.a)).toBe(Object.prototype); // its prototype was not replaced by the data
    expect((r.value.a as { x?: unknown }).x).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(r.value.a, 'constructor')!.value).toEqual({ prototype: 2 });
    expect(JSON.parse(JSON.stringify(r.value))).toEqual(raw);
    expect(flags).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses deep nesting, truncates long strings with a flag', () => {
    const flags: Flag[] = [];
    const deep = JSON.parse('['.repeat(9) + ']'.repeat(9));
    expect(sanitize({ d: deep }, flags)).toMatchObject({ problem: { message: 'nested deeper than 8 levels' } });
    const r = sanitize({ s: 'x'.repeat(5000), 'odd key': [1] }, flags) as { value: Record<string, string> };
    expect(r.value.s).toHaveLength(4096);
    expect(flags).toEqual([{ path: 's', issue: 'truncated to 4096 characters' }]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
