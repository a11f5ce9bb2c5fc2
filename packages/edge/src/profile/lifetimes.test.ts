import { describe, expect, it } from 'vitest';
import { emptyProfile } from './apply.js';
import { ALARM_MAX_MS, alarmAction, ID_REFRESH_MS, idKeys, idsDue, idTtl, nextAlarm, profileTtl } from './lifetimes.js';

const DAY = 86_400_000;
const T0 = Date.parse('2030-01-15T10:00:00Z');

describe('profile lifetimes', () => {
  it("a forwarder's alarm keeps it, whatever time it is: the merged profile's erase forgets it", () => {
    for (const lastSeen of [undefined, new Date(T0 - 400 * DAY).toISOString()])
      expect(alarmAction({ forwarding: true, lastSeen, retentionDays: 395, now: T0 })).toEqual({ do: 'keep' });
  });

  it('a profile waits until not seen for the retention period, then expires; an object with neither is forgotten', () => {
    const seen = new Date(T0 - 10 * DAY).toISOString();
    expect(alarmAction({ forwarding: false, lastSeen: seen, retentionDays: 395, now: T0 })).toEqual({ do: 'wait', until: T0 + 385 * DAY });
    expect(alarmAction({ forwarding: false, lastSeen: seen, retentionDays: 10, now: T0 })).toEqual({ do: 'expire' });
    expect(alarmAction({ forwarding: false, lastSeen: undefined, retentionDays: 395, now: T0 })).toEqual({ do: 'forget' });
  });

  it('id mappings are rewritten once per refresh period, and outlive the profile copy by that period', () => {
    expect(idsDue(undefined, T0)).toBe(true);
    expect(idsDue(NaN, T0)).toBe(true); // nothing stored
    expect(idsDue(T0 - ID_REFRESH_MS + 1, T0)).toBe(false);
    expect(idsDue(T0 - ID_REFRESH_MS, T0)).toBe(true);
    expect(idsDue(T0 + DAY, T0)).toBe(true); // stored by a clock ahead of this one
    // A mapping last rewritten just under a period before the profile's last write still expires after it.
    const write = T0;
    const rewrite = write - ID_REFRESH_MS + 1;
    expect(rewrite + idTtl(395) * 1000).toBeGreaterThan(write + profileTtl(395) * 1000);
  });

  it("maps every id of the profile to it, the merged ones included, not the profile's own", () => {
    const p = emptyProfile('demo', 'u:u1', new Date(T0).toISOString());
    p.ids = { anonymousIds: ['a1', 'a2'], userId: 'u1', merged: ['a:a1', 'u:old'] };
    expect(idKeys(p).sort()).toEqual(['a:a1', 'a:a2', 'u:old']);
  });

  it('sets the one alarm at the expiry or the earliest trigger timer, never past what a timer can hold', () => {
    const expiry = T0 + 395 * DAY;
    expect(nextAlarm({ expiry, timers: Infinity, set: 0, now: T0 })).toBe(T0 + ALARM_MAX_MS);
    expect(nextAlarm({ expiry: T0 + DAY, timers: Infinity, set: 0, now: T0 })).toBe(T0 + DAY);
    expect(nextAlarm({ expiry, timers: T0 + 5 * 60_000, set: 0, now: T0 })).toBe(T0 + 5 * 60_000);
    expect(ALARM_MAX_MS).toBeLessThan(2 ** 31);
  });

  it('leaves an alarm set under an hour earlier where it is, and moves any alarm earlier at once', () => {
    const set = T0 + DAY;
    expect(nextAlarm({ expiry: set + 59 * 60_000, timers: Infinity, set, now: T0 })).toBeUndefined();
    expect(nextAlarm({ expiry: set, timers: Infinity, set, now: T0 })).toBeUndefined();
    expect(nextAlarm({ expiry: set + 60 * 60_000, timers: Infinity, set, now: T0 })).toBe(set + 60 * 60_000);
    expect(nextAlarm({ expiry: set - 1, timers: Infinity, set, now: T0 })).toBe(set - 1);
    expect(nextAlarm({ expiry: set + DAY, timers: set - 60_000, set, now: T0 })).toBe(set - 60_000);
  });

  it('sets the alarm for now when a timer is already due, at any time past, even the epoch', () => {
    // A timer made due at 0 while the alarm ran (triggers.test.ts does): "none set" (0) once read as "set at 0".
    expect(nextAlarm({ expiry: T0 + DAY, timers: 0, set: 0, now: T0 })).toBe(T0);
    expect(nextAlarm({ expiry: T0 + DAY, timers: T0 - DAY, set: 0, now: T0 })).toBe(T0);
    expect(nextAlarm({ expiry: T0 - DAY, timers: Infinity, set: 0, now: T0 })).toBe(T0);
  });
});
