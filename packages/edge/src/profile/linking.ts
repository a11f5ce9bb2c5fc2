// Which ids an event links into the profile it is applied to: the policy, pure. The writer (writer.ts) absorbs
// the profiles of these keys; a linked key's profile becomes part of this one, for good.
// Only events whose ids the edge verified link anything (ingest/trust.ts sets `trust`):
// - the sender's anonymous id: with a server key or a proven user id (the sender holds that anonymous id);
// - an alias's previous id, and the key `attune import` gives a person known by email (`u:sha256:<email>`,
//   cli/import-ids.ts): with a server key only. A proof covers the user id, never the email in the traits,
//   so a page linking by email would let anyone absorb an imported customer by typing their address.
import { cleanEmail } from '../ingest/clean.js';
import type { AcceptedEvent } from '../contract/events.js';
import { aliasKeys } from './keys.js';

export interface LinkPlan {
  /** profile keys (`a:…`, `u:…`) to absorb */
  keys: string[];
  /** cleaned emails whose `u:sha256:` key to absorb (hashed by emailKey, hash/email-key.ts) */
  emails: string[];
}

export function linkPlan(profileKey: string, events: readonly AcceptedEvent[]): LinkPlan {
  const keys = new Set<string>();
  const emails = new Set<string>();
  // Only a known user's profile absorbs others; an anonymous profile is only ever absorbed.
  if (!profileKey.startsWith('u:')) return { keys: [], emails: [] };
  for (const e of events) {
    if (e.trust !== 'server' && e.trust !== 'proof') continue;
    if (e.anonymousId) keys.add(`a:${e.anonymousId}`);
    if (e.trust !== 'server') continue;
    if (e.type === 'alias') for (const k of aliasKeys(e.previousId)) keys.add(k);
    const email = e.type === 'identify' && typeof e.traits?.email === 'string' ? cleanEmail(e.traits.email) : undefined;
    if (email?.valid) emails.add(email.value);
  }
  return { keys: [...keys], emails: [...emails] };
}
