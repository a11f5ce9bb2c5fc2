// Segment membership after a batch, and its entries and exits as events for the log. Pure: the writer (writer.ts)
// calls it inside its transaction, and the ingest logs the events with the batch's own (one D1 write there).
// An entry's or exit's messageId is made of the change itself (profile, segment, direction, time), so the
// events a retried batch hands back again (derived-events.ts) are logged once.
import type { AcceptedEvent } from '../contract/events.js';
import type { Profile } from '../contract/profile.js';
import type { Rule } from '../contract/rules.js';
import { recomputeSegments } from '../segments/membership.js';

type Change = 'Segment Entered' | 'Segment Exited';

/** Recomputes `p.segments` in place under `rules` at `now`; answers the entries and exits as events to log. */
export function updateMembership(p: Profile, rules: readonly [string, Rule][], now: number): AcceptedEvent[] {
  const at = new Date(now).toISOString();
  const { segments, entered, exited } = recomputeSegments(p, new Map(rules), now);
  p.segments = segments;
  const event = (name: Change, id: string): AcceptedEvent => ({
    type: 'track',
    event: name,
    messageId: `segment:${p.id}:${id}:${name === 'Segment Entered' ? 'in' : 'out'}:${at}`,
    anonymousId: p.ids.anonymousIds[0],
    userId: p.ids.userId,
    timestamp: at,
    receivedAt: at,
    properties: { segment_id: id },
  });
  return [...entered.map((id) => event('Segment Entered', id)), ...exited.map((id) => event('Segment Exited', id))];
}
