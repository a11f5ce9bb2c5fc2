import { describe, expect, it } from 'vitest';
import { batchBodySchema, eventSchema } from './events.js';

const base = { messageId: 'm1', anonymousId: 'a1', timestamp: '2026-11-23T10:00:00.000Z' };

describe('event envelope', () => {
  it('accepts the Segment spec shapes', () => {
    for (const e of [
      { ...base, type: 'track', event: 'Product Viewed', properties: { product_id: 'p1' } },
      { ...base, type: 'page', name: 'Home', context: { page: { path: '/' } } },
      { ...base, type: 'identify', userId: 'u1', traits: { email: 'a@b.co' } },
      { ...base, type: 'alias', previousId: 'a1', userId: 'u1' },
      { ...base, type: 'group', groupId: 'g1' },
      { ...base, type: 'screen', name: 'Home' },
    ]) {
      expect(eventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    }
  });

  it('says where a bad event is wrong', () => {
    const r = eventSchema.safeParse({ type: 'track', messageId: 'm', timestamp: 'yesterday' });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('event');
    expect(paths).toContain('timestamp');
  });

  it('needs an anonymousId or a userId', () => {
    const r = eventSchema.safeParse({ type: 'track', event: 'x', messageId: 'm' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/anonymousId or a userId/);
  });

  it('keeps unknown fields of an event (Segment clients send more than we read)', () => {
    const r = eventSchema.parse({ ...base, type: 'track', event: 'x', channel: 'server' });
    expect((r as Record<string, unknown>).channel).toBe('server');
  });

  it('refuses an empty batch', () => {
    expect(batchBodySchema.safeParse({ batch: [] }).success).toBe(false);
  });
});
