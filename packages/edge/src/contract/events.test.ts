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

  it('keeps every key of properties, traits and integrations, "__proto__" included (a z.record drops it silently)', () => {
    const names = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
    const map = () => Object.fromEntries(names.map((k, i) => [k, i])) as Record<string, unknown>;
    const track = eventSchema.parse({ ...base, type: 'track', event: '__proto__', properties: map(), integrations: map() }) as Record<string, unknown>;
    const identify = eventSchema.parse({ ...base, type: 'identify', traits: map() }) as Record<string, unknown>;
    const group = eventSchema.parse({ ...base, type: 'group', groupId: 'constructor', traits: map() }) as Record<string, unknown>;
    for (const m of [track.properties, track.integrations, identify.traits, group.traits] as Record<string, unknown>[]) {
      expect(Object.keys(m)).toEqual(names);
      expect(Object.getOwnPropertyDescriptor(m, '__proto__')!.value).toBe(0);
      expect(JSON.stringify(m)).toBe('{"__proto__":0,"constructor":1,"prototype":2,"toString":3,"hasOwnProperty":4,"valueOf":5}');
    }
    expect(track.event).toBe('__proto__');
    expect(eventSchema.safeParse({ ...base, type: 'track', event: 'x', properties: [1] }).error!.issues[0]).toMatchObject({ path: ['properties'], message: 'must be an object' });
  });

  it('refuses an empty batch', () => {
    expect(batchBodySchema.safeParse({ batch: [] }).success).toBe(false);
  });
});
