// Membership after a batch, as the writer logs it: entries and exits become events whose messageIds are made of
// the change, so a retried batch that hands them back again is logged once.
import { describe, expect, it } from 'vitest';
import type { Rule } from '../contract/rules.js';
import { emptyProfile } from './apply.js';
import { updateMembership } from './segment-events.js';

const NOW = Date.parse('2030-01-15T10:00:00.000Z');
const AT = new Date(NOW).toISOString();
const rules: [string, Rule][] = [['vip', { trait: 'vip', eq: true }], ['dry', { answer: 'skin-type', eq: 'dry' }]];

function visitor() {
  const p = emptyProfile('demo', 'u:u1', '2030-01-01T00:00:00.000Z');
  p.ids = { anonymousIds: ['a1', 'a2'], userId: 'u1', merged: [] };
  p.consent = { analytics: true, personalization: true, updatedAt: '2030-01-01T00:00:00.000Z' };
  p.traits.vip = true;
  p.segments.gone = { since: '2030-01-10T00:00:00.000Z' };
  return p;
}

describe('updateMembership', () => {
  it('sets the segments in place and answers the entries, then the exits, as events of the profile', () => {
    const p = visitor();
    const events = updateMembership(p, rules, NOW);
    expect({ ...p.segments }).toEqual({ vip: { since: AT } });
    expect(events).toEqual([
      { type: 'track', event: 'Segment Entered', messageId: `segment:u:u1:vip:in:${AT}`, anonymousId: 'a1', userId: 'u1', timestamp: AT, receivedAt: AT, properties: { segment_id: 'vip' } },
      { type: 'track', event: 'Segment Exited', messageId: `segment:u:u1:gone:out:${AT}`, anonymousId: 'a1', userId: 'u1', timestamp: AT, receivedAt: AT, properties: { segment_id: 'gone' } },
    ]);
  });

  it('answers nothing when membership did not change, and keeps the time a segment was entered', () => {
    const p = visitor();
    updateMembership(p, rules, NOW);
    expect(updateMembership(p, rules, NOW + 60_000)).toEqual([]);
    expect(p.segments.vip).toEqual({ since: AT });
  });

  it('names the same change the same way: the messageId is made of profile, segment, direction and time', () => {
    const ids = () => updateMembership(visitor(), rules, NOW).map((e) => e.messageId);
    expect(ids()).toEqual(ids());
    expect(updateMembership(visitor(), rules, NOW + 1).map((e) => e.messageId)).not.toEqual(ids());
  });

  it('without personalization consent a profile fact enters no segment', () => {
    const p = visitor();
    p.consent = { analytics: true, personalization: false, updatedAt: AT };
    expect(updateMembership(p, rules, NOW).map((e) => e.event)).toEqual(['Segment Exited']);
  });
});
