// Schedule status at an injected instant, and schedules in the config: the site's time zone, experiments, checks.
import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile.js';
import { scheduleOf, scheduleStatus, windowIn } from './schedule.js';
import { validateConfig } from './validate.js';
import { decide } from '../decide/decide.js';

const t = Date.parse;

describe('scheduleStatus', () => {
  const w = { from: t('2026-12-01T00:00:00Z'), until: t('2027-01-01T00:00:00Z') };
  it('is next before `from`, live from `from` (inclusive), ended at `until` (exclusive)', () => {
    expect(scheduleStatus(w, t('2026-11-30T23:59:59.999Z'))).toBe('next');
    expect(scheduleStatus(w, t('2026-12-01T00:00:00Z'))).toBe('live');
    expect(scheduleStatus(w, t('2026-12-31T23:59:59.999Z'))).toBe('live');
    expect(scheduleStatus(w, t('2027-01-01T00:00:00Z'))).toBe('ended');
  });
  it('is always without bounds, and open-ended with one', () => {
    expect(scheduleStatus(undefined, 0)).toBe('always');
    expect(scheduleStatus({}, 0)).toBe('always');
    expect(scheduleStatus({ from: 10 }, 9)).toBe('next');
    expect(scheduleStatus({ from: 10 }, 1e15)).toBe('live');
    expect(scheduleStatus({ until: 10 }, -1e15)).toBe('live');
    expect(scheduleStatus({ until: 10 }, 10)).toBe('ended');
  });
});

const config = (timeZone?: string) => {
  const r = validateConfig({
    sites: { shop: { writeKey: 'k', ...(timeZone && { timeZone }) } },
    slots: [
      {
        id: 'hero',
        default: { title: 'Default' },
        variants: [
          { id: 'night', priority: 9, schedule: { from: '2026-10-25T02:30', until: '2026-10-25T03:00' }, content: { title: 'Night' } },
          { id: 'sale', priority: 5, schedule: { from: '2026-11-27', until: '2026-11-30T09:00:00Z' }, content: { title: 'Sale' } },
          { id: 'plain', content: { title: 'Plain' } },
        ],
      },
    ],
    experiments: [{ id: 'exp', slot: 'hero', schedule: { until: '2026-11-01T00:00' }, arms: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }] }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};

describe('scheduleOf', () => {
  it("lists every variant and experiment with its status, reading local times in the site's zone", () => {
    const items = scheduleOf(config('Europe/Berlin'), t('2026-10-25T00:45:00Z'), 'Europe/Berlin');
    expect(items).toEqual([
      {
        kind: 'variant', slot: 'hero', id: 'night', status: 'live',
        from: '2026-10-25T00:30:00.000Z', fromLocal: '2026-10-25T02:30:00', until: '2026-10-25T02:00:00.000Z', untilLocal: '2026-10-25T03:00:00',
      },
      {
        kind: 'variant', slot: 'hero', id: 'sale', status: 'next',
        from: '2026-11-26T23:00:00.000Z', fromLocal: '2026-11-27T00:00:00', until: '2026-11-30T09:00:00.000Z', untilLocal: '2026-11-30T10:00:00',
      },
      { kind: 'variant', slot: 'hero', id: 'plain', status: 'always' },
      { kind: 'experiment', slot: 'hero', id: 'exp', status: 'live', until: '2026-10-31T23:00:00.000Z', untilLocal: '2026-11-01T00:00:00', experimentStatus: 'running' },
    ]);
    // The same config read in UTC: the night variant's window is two hours later.
    expect(scheduleOf(config(), t('2026-10-25T00:45:00Z'), 'UTC')[0]).toMatchObject({ status: 'next', from: '2026-10-25T02:30:00.000Z' });
    expect(scheduleOf(config('Europe/Berlin'), t('2026-10-25T02:00:00Z'), 'Europe/Berlin')[0]!.status).toBe('ended');
  });
});

describe('decide with schedules', () => {
  const at = (now: number, zone?: string) =>
    decide(compileConfig(config(zone)), { profile: null, consent: { analytics: true, personalization: true }, context: {}, now, slots: ['hero'] }).slots.hero!.variant;

  it("shows a variant in its window in the site's zone, through the night clocks go back", () => {
    // Berlin: 02:30 local (first pass) is 00:30Z; until 03:00 CET is 02:00Z, so the window lasts 90 minutes.
    expect(at(t('2026-10-25T00:29:59Z'), 'Europe/Berlin')).toBe('plain');
    expect(at(t('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('night');
    expect(at(t('2026-10-25T01:59:59Z'), 'Europe/Berlin')).toBe('night');
    expect(at(t('2026-10-25T02:00:00Z'), 'Europe/Berlin')).toBe('plain');
    // The same config with the default zone (UTC).
    expect(at(t('2026-10-25T00:30:00Z'))).toBe('plain');
    expect(at(t('2026-10-25T02:30:00Z'))).toBe('night');
  });

  it("enters a running experiment only inside its schedule (Berlin midnight of 1 November is 23:00Z)", () => {
    const compiled = compileConfig(config('Europe/Berlin'));
    const reason = (now: number) =>
      decide(compiled, { profile: null, consent: { analytics: true, personalization: true }, context: { userAgent: 'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36' }, bucketingId: 'visitor-1', now, slots: ['hero'] }).slots.hero!.reason;
    expect(reason(t('2026-10-31T22:59:59Z'))).toMatchObject({ kind: 'experiment', experiment: 'exp' });
    expect(reason(t('2026-10-31T23:00:00Z'))).not.toHaveProperty('experiment');
  });

  it('reads the zone passed for the request over the config default', () => {
    const compiled = compileConfig(config('Europe/Berlin'));
    const d = (zone: string) => decide(compiled, { profile: null, consent: { analytics: true, personalization: true }, context: {}, now: t('2026-10-25T02:45:00Z'), timeZone: zone }).slots.hero!.variant;
    expect(d('Europe/Berlin')).toBe('plain');
    expect(d('UTC')).toBe('night');
  });
});

describe('schedules in validateConfig', () => {
  const errors = (patch: (c: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const c = structuredClone(config('Europe/Berlin')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    patch(c);
    const r = validateConfig(c);
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('refuses an unknown time zone and a time that is no date', () => {
    expect(errors((c) => (c.sites.shop.timeZone = 'Europe/Atlantis'))).toEqual(['sites.shop.timeZone: is an IANA time zone such as Europe/Berlin, America/New_York or UTC']);
    expect(errors((c) => (c.slots[0].variants[0].schedule.from = '2026-02-30T09:00'))[0]).toMatch(/^slots\[0\]\.variants\[0\]\.schedule\.from: is not a real date/);
    expect(errors((c) => (c.slots[0].variants[0].schedule.from = '25/10/2026'))[0]).toMatch(/^slots\[0\]\.variants\[0\]\.schedule\.from: is an ISO 8601 date-time/);
  });

  it("checks the order in the site's zone, and experiments' schedule against their older start/end", () => {
    // 03:00 local is after 02:30 local, but 02:30+00:00 is after 03:00 in Berlin (02:00Z).
    expect(errors((c) => (c.slots[0].variants[0].schedule.from = '2026-10-25T02:30:00Z'))).toEqual([
      'slots[0].variants[0].schedule.until: ends before it starts (read in Europe/Berlin)',
    ]);
    expect(errors((c) => (c.experiments[0].start = '2026-10-01'))).toEqual(['experiments[0].start: start and end are the older spelling of schedule: give one or the other']);
    expect(errors((c) => (c.experiments[0].schedule = { from: '2026-11-02', until: '2026-11-01' }))).toEqual(['experiments[0].schedule.until: ends before it starts (read in Europe/Berlin)']);
  });

  it('finds two running experiments on one slot at once by their schedules', () => {
    expect(
      errors((c) => c.experiments.push({ id: 'exp2', slot: 'hero', schedule: { from: '2026-10-31T23:30' }, arms: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }] })),
    ).toEqual([expect.stringMatching(/^experiments\[1\]\.slot: runs on slot "hero" at the same time as experiments\[0\]/)]);
    expect(errors((c) => c.experiments.push({ id: 'exp2', slot: 'hero', start: '2026-11-01T00:00', arms: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }] }))).toEqual([]);
    expect(windowIn({ until: '2026-11-01T00:00' }, 'Europe/Berlin').until).toBe(t('2026-10-31T23:00:00Z'));
  });
});
