// What an accepted event may claim, by the key it came with. Pure: the proof is checked by the caller
// (http/identity-proof.ts), this decides what follows from it.
// - Server key (secret): trusted — user ids, aliases and emails link profiles (profile/linking.ts).
// - Public key with userId + a valid userHash: the user id is the sender's; it links the sender's anonymous id.
// - Public key without a valid proof: the user id is only a claim. It is dropped from the event, which stays on
//   the sender's own anonymous profile (traits and all), links nothing and is never routed to `u:<id>`.
// - Alias from the public key: refused — it links two ids and a page can prove neither the old one nor the link.
import type { Trust } from '../contract/index.js';
import type { KeyKind } from '../http/site.js';
import type { AcceptedEvent } from '../contract/events.js';
import type { Flag, Problem } from './clean.js';

/** The flag an unverified identify leaves on the anonymous profile (quality report): a claim was kept, not linked. */
export const UNVERIFIED_FLAG: Flag = { path: 'userId', issue: 'not verified (no valid userHash): kept as a claim on the anonymous profile, linked nothing' };

export type Trusted = { ok: true; event: AcceptedEvent; flag?: Flag } | { ok: false; problem: Problem };

/**
 * Sets `trust` on the event (a client's own `trust` and `userHash` are dropped: the edge alone decides, and a
 * proof is a credential not to be kept in the profile or the log).
 * @param proven whether the event's userHash proves its userId (only asked for the public key)
 */
export function trustEvent(event: AcceptedEvent, kind: KeyKind, proven: boolean): Trusted {
  const e = { ...event };
  delete e.trust;
  delete e.userHash;
  if (kind === 'server') return { ok: true, event: { ...e, trust: 'server' satisfies Trust } };
  if (e.type === 'alias')
    return { ok: false, problem: { path: 'previousId', message: 'an alias links two ids, which a page cannot prove: send it from your backend with a server key' } };
  if (!e.userId) return { ok: true, event: e };
  if (proven) return { ok: true, event: { ...e, trust: 'proof' } };
  if (!e.anonymousId)
    return { ok: false, problem: { path: 'userId', message: "is not verified (send userHash, computed by the site's backend) and the event has no anonymousId to keep it on" } };
  delete e.userId;
  return { ok: true, event: e, ...(e.type === 'identify' ? { flag: UNVERIFIED_FLAG } : {}) };
}
