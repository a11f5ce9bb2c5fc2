// What erasing a profile removes outside its writer's own storage (writer.ts erase wipes that last): the event
// log rows of all its ids, the archive (by tombstone), the trigger log, the KV profile and id mappings, and the
// writers of the ids merged into it (forwarders to it).
import type { Profile } from '../contract/profile.js';
import { tombstone } from '../archive/tombstones.js';
import { eraseEventsOf } from '../log/event-log.js';
import { eraseTriggerLog } from '../triggers/log.js';
import { kvId, kvProfile, writer } from './keys.js';
import { idKeys } from './lifetimes.js';

type Env = Pick<Cloudflare.Env, 'EVENTS' | 'PROFILES' | 'PROFILE_WRITER'>;

/** Erases everything held about `p` beyond its writer; answers how many event log rows went. */
export async function eraseElsewhere(env: Env, site: string, p: Profile): Promise<number> {
  const keys = new Set([p.id, ...idKeys(p)]); // and so every forwarder to it (lifetimes.ts)
  const userIds = [...keys].filter((k) => k.startsWith('u:')).map((k) => k.slice(2));
  const events = await eraseEventsOf(env.EVENTS, site, p.ids.anonymousIds, userIds);
  // The archive's files cannot be edited in place: the tombstone hides the person from every read at once,
  // and the next compaction rewrites the days that hold them (archive/tombstones.ts).
  await tombstone(env.EVENTS, site, p.ids.anonymousIds, userIds, Date.now());
  await eraseTriggerLog(env.EVENTS, site, [...keys]);
  await Promise.all([...keys].flatMap((k) => [env.PROFILES.delete(kvId(site, k)), env.PROFILES.delete(kvProfile(site, k))]));
  for (const k of keys) if (k !== p.id) await writer(env.PROFILE_WRITER, site, k).forget();
  return events;
}
