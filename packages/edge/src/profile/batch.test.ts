// The batch step of the profile writer, without the writer: each messageId counts once, flags are kept with
// their event's time, and the ids the batch brings are named for the read model.
import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import { emptyProfile } from './apply.js';
import { applyBatch } from './batch.js';

const at = (m: number) => new Date(Date.UTC(2030, 0, 15, 10, m)).toISOString();
const track = (messageId: string, anonymousId: string, m = 0, extra: Partial<AcceptedEvent> = {}) =>
  ({ type: 'track', event: 'Product Viewed', messageId, anonymousId, timestamp: at(m), receivedAt: at(m), ...extra }) as AcceptedEvent;

describe('applyBatch', () => {
  it('applies each messageId once: not those seen before, and a repeat inside the batch only once', () => {
    const p = emptyProfile('demo', 'a:a1', at(0));
    const seen = new Set(['m0']);
    const r = applyBatch(p, [track('m0', 'a1'), track('m1', 'a1'), track('m1', 'a1'), track('m2', 'a1')], [], seen, 0);
    expect(r.fresh.map((e) => e.messageId)).toEqual(['m1', 'm2']);
    expect(p.counters['Product Viewed']?.count).toBe(2);
    expect([...seen].sort()).toEqual(['m0', 'm1', 'm2']);
  });

  it("keeps each event's flags with the event's time, and none of a repeat's", () => {
    const p = emptyProfile('demo', 'a:a1', at(0));
    const flags = [[{ path: 'traits.email', issue: 'invalid email' }], [], [{ path: 'properties.name', issue: 'truncated to 4096 characters' }]];
    applyBatch(p, [track('m1', 'a1', 1), track('m2', 'a1', 2), track('m3', 'a1', 3)], flags, new Set(['m3']), 0);
    expect(p.quality.flags).toEqual([{ path: 'traits.email', issue: 'invalid email', at: at(1) }]);
    expect(p.quality.counts).toEqual({ 'invalid email': 1 });
  });

  it('names the anonymous ids the profile gained and its user id, for the read model', () => {
    const p = emptyProfile('demo', 'u:u1', at(0));
    p.ids.anonymousIds.push('a1');
    const r = applyBatch(p, [track('m1', 'a1'), track('m2', 'a2', 1, { userId: 'u1' })], [], new Set(), 0);
    expect(r.newIds).toEqual(['a:a2', 'u:u1']);
    expect(applyBatch(emptyProfile('demo', 'a:a3', at(0)), [], [], new Set(), 0).newIds).toEqual([]);
  });

  it("keeps the highest count of events the sender dropped (the count is cumulative), even for a batch of repeats", () => {
    const p = emptyProfile('demo', 'a:a1', at(0));
    applyBatch(p, [track('m1', 'a1')], [], new Set(), 7);
    applyBatch(p, [track('m1', 'a1')], [], new Set(['m1']), 3);
    expect(p.quality.droppedByClient).toBe(7);
    applyBatch(p, [], [], new Set(), 9);
    expect(p.quality.droppedByClient).toBe(9);
  });
});
