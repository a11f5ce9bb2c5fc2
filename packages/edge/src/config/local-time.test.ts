// Local schedule times in a site's zone, around the nights clocks change (2026: Europe/Berlin forward on 29 March,
// back on 25 October; America/New_York forward on 8 March, back on 1 November). Every instant is fixed here: the
// tests read no clock.
import { describe, expect, it } from 'vitest';
import { instantOf, localTimeOf, offsetAt } from './local-time.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const at = (iso: string) => new Date(instantOf(iso.split('|')[0]!, iso.split('|')[1] ?? 'UTC')).toISOString();

describe('instantOf', () => {
  it('reads an instant with Z or an offset as written, in any zone', () => {
    expect(instantOf('2026-10-25T02:30:00Z', BERLIN)).toBe(Date.parse('2026-10-25T02:30:00Z'));
    expect(instantOf('2026-10-25T02:30:00+01:00', BERLIN)).toBe(Date.parse('2026-10-25T01:30:00Z'));
    expect(instantOf('2026-10-25T02:30-04:30', NEW_YORK)).toBe(Date.parse('2026-10-25T07:00:00Z'));
    expect(instantOf('2026-10-25T02:30:00.5Z', 'UTC')).toBe(Date.parse('2026-10-25T02:30:00.500Z'));
  });

  it('reads a local time in the zone, summer and winter, and a date alone as its midnight', () => {
    expect(at('2026-07-01T09:00|Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(at('2026-12-01T09:00|Europe/Berlin')).toBe('2026-12-01T08:00:00.000Z');
    expect(at('2026-12-01|Europe/Berlin')).toBe('2026-11-30T23:00:00.000Z');
    expect(at('2026-07-01T09:00:30|America/New_York')).toBe('2026-07-01T13:00:30.000Z');
    expect(at('2026-12-01T09:00|UTC')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('Berlin, 25 October 2026 (clocks go back 03:00 → 02:00): a repeated time is the first of the two', () => {
    expect(at('2026-10-25T01:59|Europe/Berlin')).toBe('2026-10-24T23:59:00.000Z'); // CEST, +2
    expect(at('2026-10-25T02:00|Europe/Berlin')).toBe('2026-10-25T00:00:00.000Z'); // first 02:00, still CEST
    expect(at('2026-10-25T02:30|Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z'); // not 01:30Z, the second 02:30
    expect(at('2026-10-25T02:59:59|Europe/Berlin')).toBe('2026-10-25T00:59:59.000Z');
    expect(at('2026-10-25T03:00|Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z'); // CET, +1
    // Both 02:30s show as 02:30 on the wall.
    expect(localTimeOf(Date.parse('2026-10-25T00:30:00Z'), BERLIN)).toBe('2026-10-25T02:30:00');
    expect(localTimeOf(Date.parse('2026-10-25T01:30:00Z'), BERLIN)).toBe('2026-10-25T02:30:00');
  });

  it('Berlin, 29 March 2026 (clocks go forward 02:00 → 03:00): a skipped time is the same time after the jump', () => {
    expect(at('2026-03-29T01:59|Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29T02:00|Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z'); // = 03:00 CEST
    expect(at('2026-03-29T02:30|Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(at('2026-03-29T03:00|Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(localTimeOf(Date.parse('2026-03-29T01:30:00Z'), BERLIN)).toBe('2026-03-29T03:30:00');
  });

  it('New York, 8 March and 1 November 2026', () => {
    expect(at('2026-03-08T01:59|America/New_York')).toBe('2026-03-08T06:59:00.000Z'); // EST, -5
    expect(at('2026-03-08T02:30|America/New_York')).toBe('2026-03-08T07:30:00.000Z'); // skipped: 03:30 EDT
    expect(at('2026-03-08T03:00|America/New_York')).toBe('2026-03-08T07:00:00.000Z'); // EDT, -4
    expect(at('2026-11-01T01:30|America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // repeated: the EDT one
    expect(at('2026-11-01T02:00|America/New_York')).toBe('2026-11-01T07:00:00.000Z'); // EST
  });

  it('is NaN for what the schema refuses', () => {
    expect(instantOf('1 December 2026', BERLIN)).toBeNaN();
    expect(instantOf('2026-12-01T09', BERLIN)).toBeNaN();
  });
});

describe('offsetAt and localTimeOf', () => {
  it('give the offset in force and the wall clock', () => {
    expect(offsetAt(BERLIN, Date.parse('2026-10-25T00:59:59Z'))).toBe(2 * 3_600_000);
    expect(offsetAt(BERLIN, Date.parse('2026-10-25T01:00:00Z'))).toBe(3_600_000);
    expect(offsetAt(NEW_YORK, Date.parse('2026-03-08T07:00:00Z'))).toBe(-4 * 3_600_000);
    expect(offsetAt('Asia/Kolkata', Date.parse('2026-03-08T07:00:00Z'))).toBe(5.5 * 3_600_000);
    expect(localTimeOf(Date.parse('2026-12-31T23:30:00Z'), NEW_YORK)).toBe('2026-12-31T18:30:00');
  });

  it('round-trips 2026 in Berlin and New York: every 5 hours, and every quarter hour around each change', () => {
    const year = Date.parse('2026-01-01T00:00:00Z');
    const days = ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01'].map((d) => Date.parse(`${d}T00:00:00Z`) - 86_400_000);
    const instants = [
      ...Array.from({ length: (365 * 24) / 5 }, (_, i) => year + i * 5 * 3_600_000),
      ...days.flatMap((d) => Array.from({ length: 3 * 96 }, (_, i) => d + i * 15 * 60_000)),
    ];
    let repeated = 0;
    for (const zone of [BERLIN, NEW_YORK])
      for (const t of instants) {
        const back = instantOf(localTimeOf(t, zone), zone);
        if (back === t) continue;
        // The second pass through a repeated hour reads back as the first, an hour earlier.
        expect([zone, new Date(t).toISOString(), t - back]).toEqual([zone, new Date(t).toISOString(), 3_600_000]);
        repeated++;
      }
    expect(repeated).toBe(2 * 4); // the second hour of each fall-back night, four quarter hours in each zone
  });
});
