import { describe, expect, it } from 'vitest';
import { applyEvent, emptyProfile } from './apply.js';
import type { AcceptedEvent } from '../contract/events.js';
import { decay } from './commerce.js';
import { mergeProfiles } from './merge.js';

let n = 0;
const ev = (at: string, e: Record<string, unknown>): AcceptedEvent =>
  ({ messageId: `m${n++}`, anonymousId: 'a', receivedAt: at, timestamp: at, ...e }) as AcceptedEvent;
const T = (d: number) => new Date(Date.UTC(2026, 10, d, 12)).toISOString();

describe('applyEvent', () => {
  it('counts per event name with first/last time and daily buckets, in any arrival order', () => {
    const p = emptyProfile('demo', 'a:a', T(9));
    for (const d of [5, 3, 5, 9]) applyEvent(p, ev(T(d), { type: 'track', event: 'Product Viewed' }));
    expect(p.counters['Product Viewed']).toEqual({
      count: 4,
      firstAt: T(3),
      lastAt: T(9),
      daily: { '2026-11-03': 1, '2026-11-05': 2, '2026-11-09': 1 },
    });
    expect(p.firstSeen).toBe(T(3));
  });

  it('keeps the latest trait by event time, even when an older identify arrives later', () => {
    const p = emptyProfile('demo', 'a:a', T(1));
    applyEvent(p, ev(T(5), { type: 'identify', traits: { plan: 'pro' } }));
    applyEvent(p, ev(T(2), { type: 'identify', traits: { plan: 'free', city: 'Oslo' } }));
    expect(p.traits).toEqual({ plan: 'pro', city: 'Oslo' });
  });

  it('turns Question Answered into answers', () => {
    const p = emptyProfile('demo', 'a:a', T(1));
    applyEvent(p, ev(T(2), { type: 'track', event: 'Question Answered', properties: { quiz: 'skin', question: 'type', answer: 'dry' } }));
    expect(p.answers).toEqual({ type: { value: 'dry', quiz: 'skin', at: T(2) } });
  });

  it('records the experiment arm first shown, and keeps it when another arm is reported later', () => {
    const p = emptyProfile('demo', 'a:a', T(1));
    applyEvent(p, ev(T(3), { type: 'track', event: 'Experiment Viewed', properties: { experiment_id: 'hero', variant_id: 'bold' } }));
    applyEvent(p, ev(T(4), { type: 'track', event: 'Experiment Viewed', properties: { experiment_id: 'hero', variant_id: 'control' } }));
    expect(p.experiments).toEqual({ hero: { variant: 'bold', at: T(3) } });
    // an earlier exposure arriving late is the first one
    applyEvent(p, ev(T(2), { type: 'track', event: 'Experiment Viewed', properties: { experiment_id: 'hero', variant_id: 'control' } }));
    expect(p.experiments.hero).toEqual({ variant: 'control', at: T(2) });
    applyEvent(p, ev(T(5), { type: 'track', event: 'Experiment Viewed', properties: { experiment_id: 7 } }));
    expect(Object.keys(p.experiments)).toEqual(['hero']);
  });

  it('keeps commerce facts: cart, orders, revenue, average order value, purchased', () => {
    const p = emptyProfile('demo', 'a:a', T(1));
    applyEvent(p, ev(T(1), { type: 'track', event: 'Product Added', properties: { product_id: 'p1', price: 10, quantity: 2, category: 'Shoes' } }));
    applyEvent(p, ev(T(1), { type: 'track', event: 'Product Added', properties: { product_id: 'p2', price: 5 } }));
    applyEvent(p, ev(T(1), { type: 'track', event: 'Product Removed', properties: { product_id: 'p1', quantity: 1 } }));
    expect(p.commerce.cartValue).toBe(15);
    applyEvent(p, ev(T(2), { type: 'track', event: 'Order Completed', properties: { order_id: 'o1', revenue: 15, products: [{ product_id: 'p1' }, { product_id: 'p2' }] } }));
    applyEvent(p, ev(T(3), { type: 'track', event: 'Order Completed', properties: { order_id: 'o2', total: '25' } }));
    expect(p.commerce).toMatchObject({ cart: [], cartValue: 0, orders: 2, revenue: 40, averageOrderValue: 20, purchased: ['p1', 'p2'], lastOrder: { orderId: 'o2', revenue: 25, at: T(3) } });
  });

  it('decays affinities with a 14-day half-life', () => {
    const p = emptyProfile('demo', 'a:a', T(1));
    applyEvent(p, ev(T(1), { type: 'track', event: 'Product Viewed', properties: { category: 'Shoes', tags: ['Summer'] } }));
    applyEvent(p, ev(T(15), { type: 'track', event: 'Product Viewed', properties: { category: 'shoes' } }));
    expect(p.affinities.category.shoes!.score).toBeCloseTo(1.5);
    expect(p.affinities.tag.summer).toEqual({ score: 1, at: T(1) });
    expect(decay(14 * 86_400_000)).toBeCloseTo(0.5);
  });
});

describe('mergeProfiles', () => {
  const build = (id: string, events: AcceptedEvent[]) => events.reduce((p, e) => applyEvent(p, e), emptyProfile('demo', id, events[0]!.timestamp));

  it('adds counters, keeps latest traits and answers, unions ids, keeps the earlier experiments', () => {
    const anon = build('a:x', [
      ev(T(10), { type: 'track', event: 'Product Viewed' }),
      ev(T(11), { type: 'identify', traits: { plan: 'free' } }),
      ev(T(12), { type: 'track', event: 'Order Completed', properties: { revenue: 10 } }),
    ]);
    anon.experiments = { hero: { variant: 'B', at: T(10) } };
    const user = build('u:y', [
      { ...ev(T(2), { type: 'track', event: 'Product Viewed' }), anonymousId: undefined, userId: 'y' } as AcceptedEvent,
      { ...ev(T(3), { type: 'identify', traits: { plan: 'pro', email: 'y@x.io' } }), anonymousId: undefined, userId: 'y' } as AcceptedEvent,
      { ...ev(T(4), { type: 'track', event: 'Order Completed', properties: { revenue: 30 } }), anonymousId: undefined, userId: 'y' } as AcceptedEvent,
    ]);
    user.experiments = { hero: { variant: 'A', at: T(2) }, footer: { variant: 'C', at: T(3) } };
    const m = mergeProfiles(user, anon);
    expect(m.id).toBe('u:y');
    expect(m.counters['Product Viewed']).toMatchObject({ count: 2, firstAt: T(2), lastAt: T(10) });
    expect(m.traits).toEqual({ plan: 'free', email: 'y@x.io' });
    expect(m.commerce).toMatchObject({ orders: 2, revenue: 40, averageOrderValue: 20 });
    expect(m.ids).toEqual({ anonymousIds: ['a'], userId: 'y', merged: ['a:x'] });
    expect(m.experiments).toEqual({ hero: { variant: 'A', at: T(2) }, footer: { variant: 'C', at: T(3) } });
    expect(m.firstSeen).toBe(T(2));
    expect(m.lastSeen).toBe(T(12));
    // Pure: the inputs are untouched.
    expect(user.counters['Product Viewed']!.count).toBe(1);
  });
});
