// How long the parts of a profile live: the policy, pure. The writer (writer.ts) applies it.
// - A profile lives until not seen for the retention period; its writer's alarm then erases it.
// - The ids merged into it live exactly as long: the absorbed objects forward to it, and their own alarms (set
//   before the merge) never drop that record. Erasing the profile, by request or by retention, forgets them.
// - Its KV id → profile mappings (read-model.ts) expire by a TTL: its writes rewrite all of them now and then,
//   with slack, so no mapping lapses before the profile's own KV copy.
// - Its writer's one alarm serves both the retention expiry and the trigger timers (nextAlarm).
import type { Profile } from '../contract/index.js';

/** The id mappings are rewritten at most this often; their TTL carries as much again. */
export const ID_REFRESH_MS = 86_400_000;

/** Seconds a profile's KV copy lives after its last write. */
export const profileTtl = (retentionDays: number) => Math.max(60, retentionDays * 86_400);
/** Seconds an id mapping lives after its last write: past the profile's, as rewrites may be ID_REFRESH_MS apart. */
export const idTtl = (retentionDays: number) => profileTtl(retentionDays) + ID_REFRESH_MS / 1000;

/** The keys that map to this profile in KV: its anonymous ids, user id and the profiles merged into it. */
export function idKeys(p: Profile): string[] {
  const keys = [...p.ids.anonymousIds.map((a) => `a:${a}`), ...(p.ids.userId ? [`u:${p.ids.userId}`] : []), ...p.ids.merged];
  return [...new Set(keys)].filter((k) => k !== p.id);
}

/** Whether a write of the profile should rewrite all its id mappings (`lastAt`: when it last did, if known). */
export function idsDue(lastAt: number | undefined, now: number): boolean {
  const age = lastAt === undefined ? NaN : now - lastAt;
  return !(age >= 0 && age < ID_REFRESH_MS); // never, long ago, or a time ahead of this clock
}

export type AlarmAction = { do: 'keep' } | { do: 'forget' } | { do: 'expire' } | { do: 'wait'; until: number };

/** What a writer's alarm does, once its due trigger timers ran. */
export function alarmAction(s: { forwarding: boolean; lastSeen: string | undefined; retentionDays: number; now: number }): AlarmAction {
  // A forwarder: kept while the merged profile lives (that profile's erase forgets it). Nothing to re-arm.
  if (s.forwarding) return { do: 'keep' };
  // Neither a profile nor a forwarder: leftovers (timers) of nothing.
  if (s.lastSeen === undefined) return { do: 'forget' };
  const due = Date.parse(s.lastSeen) + s.retentionDays * 86_400_000;
  return due > s.now ? { do: 'wait', until: due } : { do: 'expire' };
}

/** 20 days: under the 2^31 ms (24.8 days) a timer can hold. */
export const ALARM_MAX_MS = 20 * 86_400_000;
/** An alarm already set this little earlier than the new time stays: the batches of a session do not each move it. */
const ALARM_SLACK_MS = 3_600_000;

/**
 * When a writer sets its alarm: at the retention expiry (`expiry`, the alarm re-checks lastSeen) or its earliest
 * trigger timer (`timers`), whichever comes first; undefined when the alarm already set (`set`, 0 for none) may
 * stay. Never further than ALARM_MAX_MS ahead: local runtimes keep alarms in timers, and a delay past 2^31 ms fires
 * at once — an alarm that re-arms itself then spins and starves the object. Trigger timers must fire on time, so
 * only a move later by under ALARM_SLACK_MS is skipped, never a move earlier.
 */
export function nextAlarm(s: { expiry: number; timers: number; set: number; now: number }): number | undefined {
  // Never before now: a time past fires at once anyway, and a timer made due at 0 would otherwise read as the "none
  // set" (0) it is compared with, and workerd takes setAlarm(0) for no alarm at all.
  const at = Math.max(s.now, Math.min(s.expiry, s.now + ALARM_MAX_MS, s.timers));
  return at >= s.set && at - s.set < ALARM_SLACK_MS ? undefined : at;
}
