// Local date-times in a site's time zone, as instants. Pure (Intl only): a schedule written as 2026-12-01T09:00
// means nine in the morning where the shop is, whatever the server's clock says. Where clocks jump, the rule is
// Temporal's "compatible" one (and a calendar's): a time skipped when clocks go forward is read with the offset
// before the jump (02:30 on a spring-forward night is 03:30), a time that occurs twice when they go back is the
// first of the two.
import { SCHEDULE_TIME } from '../contract/config.js';

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `instant`, as if it were UTC (ms, whole seconds). */
function wallClock(zone: string, instant: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of formatIn(zone).formatToParts(instant)) if (type !== 'literal') p[type] = Number(value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
}

/** The zone's offset from UTC at `instant`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(zone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000; // Intl shows whole seconds
  return wallClock(zone, whole) - whole;
}

/**
 * The instant at which the wall clock in `zone` shows `wall` (a local date-time given as if it were UTC ms).
 * Offsets are read a day either side, which spans any one transition (none comes closer than that to another).
 */
export function instantOfWall(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - 86_400_000);
  const after = offsetAt(zone, wall + 86_400_000);
  const fits = [before, after].map((o) => wall - o).filter((t) => offsetAt(zone, t) === wall - t);
  if (fits.length) return Math.min(...fits); // a repeated time: the first
  return wall - before; // a skipped time: read with the offset it had before the jump
}

/**
 * A schedule bound (contract/config.ts SCHEDULE_TIME) as an instant: one with `Z` or an offset as written, a
 * local one in `zone`. NaN for a string the schema would refuse.
 */
export function instantOf(value: string, zone: string): number {
  const m = SCHEDULE_TIME.exec(value);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const offset = m[8];
  if (offset === 'Z') return wall;
  if (offset) return wall - (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4))) * 60_000;
  return instantOfWall(zone, wall);
}

/** The wall clock in `zone` at `instant` as a local date-time, `2026-10-25T02:30:00`, for people to read. */
export function localTimeOf(instant: number, zone: string): string {
  return new Date(wallClock(zone, instant)).toISOString().slice(0, 19);
}
