// Reads a profile from the KV read model (fast, eventually consistent): what decide and widgets need.
// Writers keep it current after every merge; the admin API asks the writers instead.
import type { Profile } from '../contract/profile.js';
import { kvId, kvProfile } from './keys.js';
import { reviveProfile } from './revive.js';

/** The profile of the first of `keys` (`u:<userId>`, `a:<anonymousId>`) that has one. */
export async function readProfile(kv: KVNamespace, site: string, keys: string[]): Promise<Profile | null> {
  for (const key of keys) {
    const direct = await kv.get<Profile>(kvProfile(site, key), 'json');
    if (direct) return reviveProfile(direct);
    const owner = await kv.get(kvId(site, key));
    if (owner) {
      const p = await kv.get<Profile>(kvProfile(site, owner), 'json');
      if (p) return reviveProfile(p);
    }
  }
  return null;
}
