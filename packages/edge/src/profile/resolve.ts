// Finds the profile an id belongs to, asking the writers (consistent), not KV (eventually consistent):
// `:id` may be a profile id (`a:…`/`u:…`), an anonymous id or a user id.
import type { Profile } from '../contract/index.js';
import { writer, type WriterNamespace } from './keys.js';
import { reviveProfile } from './revive.js';

export async function resolveProfile(ns: WriterNamespace, site: string, id: string): Promise<Profile | null> {
  const candidates = /^[au]:/.test(id) ? [id] : [`u:${id}`, `a:${id}`];
  for (let key of candidates) {
    // Follow forwarders (bounded: a chain longer than this would be a bug, not data).
    for (let hop = 0; hop < 8; hop++) {
      // The RPC type of a profile (free-form trait values) collapses to never; the shape is get()'s.
      const r = (await writer(ns, site, key).get()) as unknown as { profile: Profile | null; mergedInto?: string };
      // An RPC answer is a structured clone: its maps have Object.prototype again.
      if (r.profile) return reviveProfile(r.profile);
      if (!r.mergedInto) break;
      key = r.mergedInto;
    }
  }
  return null;
}
