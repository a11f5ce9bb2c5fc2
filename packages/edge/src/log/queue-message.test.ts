import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../contract/events.js';
import type { RecDerivation } from '../recs/store.js';
import { isLogMessage, logMessages, QUEUE_LIMITS, sendBatches } from './queue-message.js';

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
const at = '2026-06-01T10:00:00.000Z';
const event = (i: number, pad = 0): AcceptedEvent =>
  ({ type: 'track', event: 'Product Viewed', messageId: `m${i}`, anonymousId: 'a', timestamp: at, receivedAt: at, properties: { product_id: `p${i}`, pad: 'é'.repeat(pad) } }) as AcceptedEvent;

describe('log messages for the Queue', () => {
  it('cuts a large request into messages within the limit, every event once and in order', () => {
    // 500 events of ~1.5 KB (two-byte characters count twice): ~750 KB, more than six messages.
    const events = Array.from({ length: 500 }, (_, i) => event(i, 700));
    const messages = logMessages('demo', at, { events, recs: [], bots: [] });
    expect(messages.length).toBeGreaterThan(6);
    for (const m of messages) expect(bytes(m)).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
    expect(messages.flatMap((m) => m.events.map((e) => e.messageId))).toEqual(events.map((e) => e.messageId));
    expect(messages.every((m) => m.site === 'demo' && m.receivedAt === at && isLogMessage(m))).toBe(true);
  });

  it('keeps a small request in one message and sends nothing for an empty one', () => {
    expect(logMessages('demo', at, { events: [event(1)], recs: [], bots: [{ messageId: 'b', day: '2026-06-01', family: 'curl' }] })).toHaveLength(1);
    expect(logMessages('demo', at, { events: [], recs: [], bots: [] })).toEqual([]);
  });

  it('splits a derivation too large for one message into pieces with claims of their own, the same way every time', () => {
    const d: RecDerivation = { claim: 'k|m1', items: [['p1', 1, 1]], pairs: Array.from({ length: 6000 }, (_, i) => ['viewed', 'p1', `partner-${i}-${'x'.repeat(20)}`, 1] as RecDerivation['pairs'][number]) };
    const cut = () => logMessages('demo', at, { events: [], recs: [d], bots: [] }, 60_000);
    const messages = cut();
    const pieces = messages.flatMap((m) => m.recs);
    expect(pieces.length).toBeGreaterThan(2);
    for (const m of messages) expect(bytes(m)).toBeLessThanOrEqual(60_000);
    expect(pieces.map((p) => p.claim)).toEqual(pieces.map((_, i) => `k|m1/${i}`));
    expect(pieces.flatMap((p) => p.pairs)).toEqual(d.pairs);
    expect(pieces.flatMap((p) => p.items)).toEqual(d.items);
    expect(cut()).toEqual(messages);
  });

  it('groups messages into sendBatch calls of at most 100 messages and 256 KB', () => {
    const many = Array.from({ length: 250 }, (_, i) => logMessages('demo', at, { events: [event(i)], recs: [], bots: [] })[0]!);
    const groups = sendBatches(many);
    expect(groups.map((g) => g.length)).toEqual([100, 100, 50]);
    const big = logMessages('demo', at, { events: Array.from({ length: 400 }, (_, i) => event(i, 700)), recs: [], bots: [] });
    for (const g of sendBatches(big)) expect(g.reduce((n, m) => n + bytes(m) + 100, 0)).toBeLessThanOrEqual(256_000);
    expect(sendBatches(big).flat()).toEqual(big);
  });

  it('does not take a body of another shape or version for a log message', () => {
    expect(isLogMessage({ v: 2, site: 'demo', receivedAt: at, events: [], recs: [], bots: [] })).toBe(false);
    expect(isLogMessage({ v: 1, site: 'demo', receivedAt: at, events: {} })).toBe(false);
    expect(isLogMessage('text')).toBe(false);
    expect(isLogMessage(null)).toBe(false);
  });
});
