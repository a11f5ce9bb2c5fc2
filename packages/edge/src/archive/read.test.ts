import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import { withArchived } from './read.js';
import { profileDays } from './tombstones.js';

const ev = (messageId: string, timestamp: string, extra: Record<string, unknown> = {}) =>
  ({ type: 'track', event: 'X', messageId, anonymousId: 'a', timestamp, receivedAt: timestamp, ...extra }) as AcceptedEvent;

describe('profile export events', () => {
  it('holds the log and the archive, each message id once (the log as logged), in time order', () => {
    const logged = [ev('m2', '2026-03-04T10:00:00.000Z', { userId: null }), ev('m3', '2026-03-05T00:00:00.000Z')];
    const archived = [ev('m1', '2026-03-01T00:00:00.000Z'), ev('m2', '2026-03-04T10:00:00.000Z')];
    const out = withArchived(logged, archived) as AcceptedEvent[];
    expect(out.map((e) => e.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(out[1]).toBe(logged[0]);
  });
});

describe('per-profile index', () => {
  it('names each id kind, id and UTC day once', () => {
    const days = profileDays([
      ev('m1', '2026-03-04T23:59:00.000Z', { userId: 'u' }),
      ev('m2', '2026-03-04T01:00:00.000Z'),
      ev('m3', '2026-03-05T00:00:00.000Z', { anonymousId: undefined, userId: 'u' }),
    ]);
    expect(days).toEqual([
      ['anonymous', 'a', '2026-03-04'],
      ['user', 'u', '2026-03-04'],
      ['user', 'u', '2026-03-05'],
    ]);
  });
});
