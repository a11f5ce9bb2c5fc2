// Schedules as instants, and what is live at a given instant. Pure: the instant is always passed in, so decide,
// GET /v1/config/schedule and the tests agree on one clock. A schedule's bounds are read in the site's time zone
// (local-time.ts); a config compiles them once per zone its sites use, so a decision compares numbers only.
import type { AttuneConfig, Experiment } from '../contract/config.js';
import type { ScheduleItemBody } from '../contract/studio.js';
import { instantOf, localTimeOf } from './local-time.js';

export interface Schedule {
  from?: string;
  until?: string;
}

/** A schedule as instants (ms): live from `from` (inclusive) until `until` (exclusive). */
export interface Window {
  from?: number;
  until?: number;
}

/** A schedule's window in each time zone the config's sites use. */
export type Windows = ReadonlyMap<string, Window>;

export type ScheduleStatus = ScheduleItemBody['status'];

/** An experiment's schedule: `schedule`, or its older spelling `start`/`end`. */
export const experimentSchedule = (e: Pick<Experiment, 'schedule' | 'start' | 'end'>): Schedule | undefined =>
  e.schedule ?? (e.start || e.end ? { from: e.start, until: e.end } : undefined);

export function windowIn(s: Schedule | undefined, zone: string): Window {
  return {
    ...(s?.from !== undefined && { from: instantOf(s.from, zone) }),
    ...(s?.until !== undefined && { until: instantOf(s.until, zone) }),
  };
}

/** Undefined when there is no schedule (always live). */
export function windowsOf(s: Schedule | undefined, zones: readonly string[]): Windows | undefined {
  if (!s || (s.from === undefined && s.until === undefined)) return undefined;
  return new Map(zones.map((z) => [z, windowIn(s, z)]));
}

/** The window in `zone`: compiled when the zone is a site's, else computed (another zone, a hand-built config). */
export const windowFor = (item: { windows?: Windows }, s: Schedule | undefined, zone: string): Window | undefined =>
  item.windows?.get(zone) ?? (s && (s.from !== undefined || s.until !== undefined) ? windowIn(s, zone) : undefined);

export function scheduleStatus(w: Window | undefined, at: number): ScheduleStatus {
  if (!w || (w.from === undefined && w.until === undefined)) return 'always';
  if (w.from !== undefined && at < w.from) return 'next';
  if (w.until !== undefined && at >= w.until) return 'ended';
  return 'live';
}

export const isLive = (w: Window | undefined, at: number): boolean => {
  const s = scheduleStatus(w, at);
  return s === 'live' || s === 'always';
};

/** One row of GET /v1/config/schedule (contract/studio.ts). */
export type ScheduleItem = ScheduleItemBody;

function item(kind: ScheduleItem['kind'], slot: string, id: string, s: Schedule | undefined, zone: string, at: number): ScheduleItem {
  const w = windowIn(s, zone);
  return {
    kind,
    slot,
    id,
    status: scheduleStatus(w, at),
    ...(w.from !== undefined && { from: new Date(w.from).toISOString(), fromLocal: localTimeOf(w.from, zone) }),
    ...(w.until !== undefined && { until: new Date(w.until).toISOString(), untilLocal: localTimeOf(w.until, zone) }),
  };
}

/** Every variant and experiment with its status at `at`, read in `zone`, in the config's order. */
export function scheduleOf(config: Pick<AttuneConfig, 'slots' | 'experiments'>, at: number, zone: string): ScheduleItem[] {
  return [
    ...config.slots.flatMap((slot) => slot.variants.map((v) => item('variant', slot.id, v.id, v.schedule, zone, at))),
    ...config.experiments.map((e) => ({ ...item('experiment', e.slot, e.id, experimentSchedule(e), zone, at), experimentStatus: e.status })),
  ];
}
