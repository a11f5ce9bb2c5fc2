// A batch's events applied to the profile they belong to, each messageId once. Pure: the writer (writer.ts) reads
// which messageIds its profile saw before and remembers the fresh ones, in the same transaction.
import type { AcceptedEvent } from '../contract/events.js';
import type { Flag, Profile } from '../contract/profile.js';
import { addFlags, applyEvent } from './apply.js';

export interface AppliedBatch {
  /** the events not seen before, in batch order (a repeat inside the batch counts once) */
  fresh: AcceptedEvent[];
  /** the keys that now map to the profile because of the batch: anonymous ids it gained, and its user id */
  newIds: string[];
}

/**
 * Applies the events of a batch not in `seen` to `p`, in place, with their cleaning flags (`flags[i]` belongs
 * to `events[i]`); `seen` gains them. `dropped` is the sender's count of events it had to drop.
 */
export function applyBatch(p: Profile, events: readonly AcceptedEvent[], flags: readonly Flag[][], seen: Set<string>, dropped: number): AppliedBatch {
  const had = new Set(p.ids.anonymousIds);
  const fresh: AcceptedEvent[] = [];
  events.forEach((e, i) => {
    if (seen.has(e.messageId)) return;
    seen.add(e.messageId);
    fresh.push(e);
    applyEvent(p, e);
    addFlags(p, flags[i] ?? [], e.timestamp);
  });
  const newIds = p.ids.anonymousIds.filter((a) => !had.has(a)).map((a) => `a:${a}`);
  if (p.ids.userId) newIds.push(`u:${p.ids.userId}`);
  // The sender's count of dropped events is cumulative: keep the highest reported.
  p.quality.droppedByClient = Math.max(p.quality.droppedByClient, dropped || 0);
  return { fresh, newIds };
}
