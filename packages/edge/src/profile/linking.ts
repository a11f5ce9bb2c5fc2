// Which ids an event links into the profile it is applied to: the policy, pure. The writer (writer.ts) absorbs
// the profiles of these keys; a linked key's profile becomes part of this one, for good.
// Only events whose ids the edge verified link anything (ingest/trust.ts sets `trust`):
// - the sender's anonymous id: with a server key or a proven user id (the sender holds that anonymous id);
// - an alias's previous id, and the key `attune import` gives a person known by email (`u:sha256:<email>`,
//   cli/import-ids.ts): with a server key only. A proof covers the user id, never the email in the traits,
//   so a page linking by email would let anyone absorb an imported customer by typing their address.
// Absorbing is the writer's I/O; what an absorbed profile adds to this one, and which ids then map here, is the
// policy's again (foldAbsorbed).
import type { AcceptedEvent } from '../contract/events.js';
import type { Profile } from '../contract/profile.js';
import { cleanEmail, emailKey } from '../hash/email-key.js';
import { aliasKeys } from './keys.js';
import { mergeProfiles } from './merge.js';

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

/** What a writer answers when its profile is absorbed (writer.ts absorbInto). */
export interface Absorbed {
  profile: Profile | null;
  /** the messageIds it had applied: the absorbing profile drops their repeats */
  seen: string[];
  /** set when that id already belongs to another profile */
  mergedInto?: string;
}

/** The keys already part of a profile: its own, the ones merged into it, its anonymous ids. */
export function knownKeys(profileKey: string, p: Profile | null): Set<string> {
  return new Set([profileKey, ...(p?.ids.merged ?? []), ...(p?.ids.anonymousIds ?? []).map((a) => `a:${a}`)]);
}

/**
 * The keys a batch links that the profile does not hold yet: linkPlan's keys, then its emails' keys.
 * `hashed` says the emails were hashed (WebCrypto: an await, after which the writer re-reads its state).
 */
export async function newLinks(profileKey: string, events: readonly AcceptedEvent[], known: ReadonlySet<string>): Promise<{ keys: Set<string>; hashed: boolean }> {
  const plan = linkPlan(profileKey, events);
  const keys = new Set(plan.keys.filter((k) => !known.has(k)));
  for (const email of plan.emails) {
    const k = await emailKey(email);
    if (!known.has(k)) keys.add(k);
  }
  return { keys, hashed: plan.emails.length > 0 };
}

/**
 * The profile to absorb next after key `k` answered `a`, if any. An email's key that already forwards to another
 * profile (the person was imported under a customer id, and the email was linked there): that profile is the
 * person, so it is absorbed too — unless it is this one, or already known or linked by the batch.
 */
export function forwardToFollow(k: string, a: Absorbed, profileKey: string, known: ReadonlySet<string>, links: ReadonlySet<string>): string | undefined {
  const to = a.mergedInto;
  return to && k.startsWith('u:sha256:') && to !== profileKey && !known.has(to) && !links.has(to) ? to : undefined;
}

/**
 * Folds the absorbed profiles into `p` (a fresh profile when any had one), and names the keys that now map to
 * it: each absorbed key and what was merged into it. A key that held nothing is kept as merged, so it resolves
 * here too; a key that already forwards elsewhere stays that profile's.
 */
export function foldAbsorbed(p: Profile, absorbed: readonly (readonly [string, Absorbed])[]): { p: Profile; newIds: string[] } {
  const newIds: string[] = [];
  for (const [k, a] of absorbed) {
    if (a.profile) p = mergeProfiles(p, a.profile);
    if (a.mergedInto) continue;
    if (!a.profile && !p.ids.merged.includes(k)) p.ids.merged.push(k);
    newIds.push(k, ...(a.profile ? [...a.profile.ids.merged, ...a.profile.ids.anonymousIds.map((x) => `a:${x}`)] : []));
  }
  return { p, newIds };
}

/** The absorbed keys that brought a profile: their KV copies go (read-model.ts). */
export const absorbedKeys = (absorbed: readonly (readonly [string, Absorbed])[]): string[] => absorbed.filter(([, a]) => a.profile).map(([k]) => k);
