import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import { emailKey } from '../hash/email-key.js';
import { linkPlan } from './linking.js';

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
