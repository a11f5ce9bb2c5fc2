import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import { emailKey } from '../hash/email-key.js';
import { emptyProfile } from './apply.js';
import { absorbedKeys, foldAbsorbed, forwardToFollow, knownKeys, linkPlan, newLinks, type Absorbed } from './linking.js';

const at = '2026-06-15T10:00:00.000Z';
const identify = (trust: AcceptedEvent['trust'], extra: Record<string, unknown> = {}) =>
  ({ type: 'identify', messageId: 'm', anonymousId: 'a1', userId: 'u1', traits: { email: ' Ada@Example.com ' }, timestamp: at, receivedAt: at, ...(trust ? { trust } : {}), ...extra }) as AcceptedEvent;
const alias = (trust: AcceptedEvent['trust']) => ({ type: 'alias', messageId: 'm', userId: 'u1', previousId: 'old', timestamp: at, receivedAt: at, trust }) as AcceptedEvent;

describe('linkPlan', () => {
  it('links the anonymous id, the alias and the email of a server-key event', () => {
    expect(linkPlan('u:u1', [identify('server'), alias('server')])).toEqual({ keys: ['a:a1', 'a:old', 'u:old'], emails: ['ada@example.com'] });
  });

  it("links only the sender's anonymous id for a page's proven user id: never an email, never an alias", () => {
    expect(linkPlan('u:u1', [identify('proof'), alias('proof')])).toEqual({ keys: ['a:a1'], emails: [] });
  });

  it('links nothing for an event the edge did not verify, or into an anonymous profile', () => {
    expect(linkPlan('u:u1', [identify(undefined), alias(undefined)])).toEqual({ keys: [], emails: [] });
    expect(linkPlan('a:a1', [identify('server')])).toEqual({ keys: [], emails: [] });
    expect(linkPlan('u:u1', [identify('server', { traits: { email: 'not-an-email' } })])).toEqual({ keys: ['a:a1'], emails: [] });
  });

  it('names an email by the key `attune import` gives it: u:sha256:<hex of the cleaned address>', async () => {
    expect(await emailKey('abc')).toBe('u:sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('absorbing what a batch links', () => {
  const absorbedProfile = (id: string, anonymousIds: string[], merged: string[] = []) => {
    const p = emptyProfile('demo', id, at);
    p.ids = { anonymousIds, userId: id.startsWith('u:') ? id.slice(2) : null, merged };
    p.counters['Product Viewed'] = { count: 2, firstAt: at, lastAt: at, daily: {} };
    return p;
  };

  it("knows the profile's own key, its merged keys and its anonymous ids; nothing else is linked again", async () => {
    const p = absorbedProfile('u:u1', ['a1'], ['u:old']);
    const known = knownKeys('u:u1', p);
    expect([...known].sort()).toEqual(['a:a1', 'u:old', 'u:u1']);
    expect([...knownKeys('u:u1', null)]).toEqual(['u:u1']);
    const events = [identify('server', { anonymousId: 'a1' }), identify('server', { anonymousId: 'a2', messageId: 'm2' })];
    expect(await newLinks('u:u1', events, known)).toEqual({ keys: new Set(['a:a2', await emailKey('ada@example.com')]), hashed: true });
    expect(await newLinks('u:u1', [identify('proof')], known)).toEqual({ keys: new Set(), hashed: false });
    expect(await newLinks('u:u1', [identify('proof', { anonymousId: 'a5' })], known)).toEqual({ keys: new Set(['a:a5']), hashed: false });
  });

  it("follows an email's key once to the profile it already forwards to (an imported customer), not to this one or a known one", async () => {
    const k = await emailKey('ada@example.com');
    const forwards = (to: string): Absorbed => ({ profile: null, seen: [], mergedInto: to });
    expect(forwardToFollow(k, forwards('u:crm-7'), 'u:u1', new Set(['u:u1']), new Set([k]))).toBe('u:crm-7');
    expect(forwardToFollow(k, forwards('u:u1'), 'u:u1', new Set(['u:u1']), new Set([k]))).toBeUndefined();
    expect(forwardToFollow(k, forwards('u:crm-7'), 'u:u1', new Set(['u:u1', 'u:crm-7']), new Set([k]))).toBeUndefined();
    expect(forwardToFollow(k, forwards('u:crm-7'), 'u:u1', new Set(['u:u1']), new Set([k, 'u:crm-7']))).toBeUndefined();
    // Only an email's key: an anonymous id that forwards elsewhere belongs to that profile.
    expect(forwardToFollow('a:a2', forwards('u:other'), 'u:u1', new Set(['u:u1']), new Set(['a:a2']))).toBeUndefined();
    expect(forwardToFollow(k, { profile: null, seen: [] }, 'u:u1', new Set(['u:u1']), new Set([k]))).toBeUndefined();
  });

  it('folds absorbed profiles in and names every key that now maps here; an empty key is kept as merged, a forwarding one stays away', () => {
    const p = absorbedProfile('u:u1', ['a1']);
    const absorbed: [string, Absorbed][] = [
      ['a:a2', { profile: absorbedProfile('a:a2', ['a2', 'a3'], ['a:a4']), seen: ['x'] }],
      ['u:sha256:ab', { profile: null, seen: [] }],
      ['a:a9', { profile: null, seen: [], mergedInto: 'u:someone-else' }],
    ];
    const r = foldAbsorbed(p, absorbed);
    expect(r.p.counters['Product Viewed']?.count).toBe(4); // 2 + 2: counters add (merge.ts)
    expect(r.p.ids.anonymousIds).toEqual(['a1', 'a2', 'a3']);
    expect(r.p.ids.merged).toEqual(['a:a2', 'a:a4', 'u:sha256:ab']);
    expect(r.newIds).toEqual(['a:a2', 'a:a4', 'a:a2', 'a:a3', 'u:sha256:ab']);
    expect(absorbedKeys(absorbed)).toEqual(['a:a2']);
  });

  it('leaves the profile as it was when nothing was absorbed', () => {
    const p = absorbedProfile('u:u1', ['a1']);
    expect(foldAbsorbed(p, [])).toEqual({ p, newIds: [] });
  });
});
