// acceptEvent keeps what was sent: keys of the envelope and its context are data, whatever their name.
import { describe, expect, it } from 'vitest';
import { acceptEvent, type Envelope } from './validate.js';

const envelope: Envelope = { receivedAt: '2026-06-01T10:00:00.000Z', retentionDays: 30, path: (i) => `batch[${i}]` };

describe('acceptEvent', () => {
  it('keeps an envelope or context key named __proto__ as an own key, touching no prototype', () => {
    const raw = JSON.parse(
      '{"type":"track","event":"E","messageId":"m1","anonymousId":"a1","timestamp":"2026-06-01T09:59:00.000Z","__proto__":{"polluted":1},"context":{"__proto__":{"deep":2},"locale":"de-DE"}}',
    );
    const v = acceptEvent(raw, 0, envelope);
    if (!v.ok) throw new Error(v.rejected.message);
    const stored = JSON.parse(JSON.stringify(v.event));
    expect(Object.hasOwn(stored, '__proto__')).toBe(true);
    expect(stored['__proto__']).toEqual({ polluted: 1 });
    expect(stored.context['__proto__']).toEqual({ deep: 2 });
    expect(stored.context.locale).toBe('de-DE');
    expect((v.event as unknown as { polluted?: number }).polluted).toBeUndefined();
    expect(({} as { polluted?: number; deep?: number }).polluted).toBeUndefined();
  });
});
