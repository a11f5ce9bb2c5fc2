import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import { trustEvent, UNVERIFIED_FLAG } from './trust.js';

const at = '2026-06-15T10:00:00.000Z';
const identify = (extra: Record<string, unknown> = {}) =>
  ({ type: 'identify', messageId: 'm1', anonymousId: 'a1', userId: 'u1', traits: { email: 'x@example.com' }, timestamp: at, receivedAt: at, ...extra }) as AcceptedEvent;

describe('trustEvent', () => {
  it('trusts everything a server key sends, and drops the proof and any client-sent trust', () => {
    const r = trustEvent(identify({ userHash: 'h', trust: 'proof' }), 'server', false);
    expect(r).toEqual({ ok: true, event: { ...identify(), trust: 'server' } });
  });

  it('trusts a page only for a proven user id, never for a client-sent trust', () => {
    expect(trustEvent(identify({ userHash: 'h' }), 'browser', true)).toEqual({ ok: true, event: { ...identify(), trust: 'proof' } });
    const claimed = trustEvent(identify({ trust: 'server', userHash: 'bad' }), 'browser', false);
    expect(claimed.ok && claimed.event).toEqual({ type: 'identify', messageId: 'm1', anonymousId: 'a1', traits: { email: 'x@example.com' }, timestamp: at, receivedAt: at });
    expect(claimed.ok && claimed.flag).toEqual(UNVERIFIED_FLAG);
  });

  it('keeps anonymous page events as they are, flags only an identify, refuses what has nowhere to go', () => {
    const page = { type: 'page', messageId: 'm2', anonymousId: 'a1', timestamp: at, receivedAt: at } as AcceptedEvent;
    expect(trustEvent(page, 'browser', false)).toEqual({ ok: true, event: page });
    const track = trustEvent({ ...page, type: 'track', event: 'Product Viewed', userId: 'u1' } as AcceptedEvent, 'browser', false);
    expect(track.ok && [track.event.userId, track.flag]).toEqual([undefined, undefined]);
    expect(trustEvent(identify({ anonymousId: undefined }), 'browser', false)).toMatchObject({ ok: false, problem: { path: 'userId' } });
  });

  it('refuses an alias from a page even with a proof; a server may alias', () => {
    const alias = { type: 'alias', messageId: 'm3', anonymousId: 'a1', userId: 'u2', previousId: 'u1', timestamp: at, receivedAt: at } as AcceptedEvent;
    expect(trustEvent(alias, 'browser', true)).toMatchObject({ ok: false, problem: { path: 'previousId', message: expect.stringMatching(/server key/) } });
    expect(trustEvent(alias, 'server', false)).toMatchObject({ ok: true, event: { trust: 'server' } });
  });
});
