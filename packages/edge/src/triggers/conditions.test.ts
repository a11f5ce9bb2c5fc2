// What a batch schedules and cancels, and whether a due timer still holds, on profiles built by the real merge.
import { describe, expect, it } from 'vitest';
import type { Trigger } from '../contract/triggers.js';
import { applyEvent, emptyProfile } from '../profile/apply.js';
import type { AcceptedEvent } from '../contract/events.js';
import type { CompiledCatalog } from '../catalog/compile.js';
import { nextBirthday, planTriggers, stillHolds } from './conditions.js';
import { replenishDaysOf } from './replenish.js';

const webhook = { url: 'https://hooks.example.com/a', secretEnv: 'S' };
const T = (on: Trigger['on'], extra: Partial<Trigger> = {}): Trigger => ({ id: on, on, webhook, consent: 'personalization', ...extra });
const t0 = Date.parse('2026-05-01T10:00:00Z');
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
let n = 0;
const ev = (event: string, min: number, properties: Record<string, unknown> = {}): AcceptedEvent =>
  ({ type: 'track', event, properties, messageId: `m${n++}`, anonymousId: 'a1', timestamp: at(min), receivedAt: at(min) }) as AcceptedEvent;
const profile = (events: AcceptedEvent[], consent = { analytics: true, personalization: true }) => {
  const p = emptyProfile('demo', 'a:a1', at(0));
  p.consent = { ...consent, updatedAt: at(0) };
  for (const e of events) applyEvent(p, e);
  return p;
};
const add = (min: number, product_id = 'p1') => ev('Product Added', min, { product_id, price: 10 });
const order = (min: number, products = [{ product_id: 'p1' }]) => ev('Order Completed', min, { order_id: 'o1', products, revenue: 10 });

describe('cart abandoned', () => {
  const cart = T('cart-abandoned', { after: { minutes: 30 } });
  it('is due N minutes after the last cart change, and moves with each change', () => {
    const first = [add(0)];
    expect(planTriggers([cart], profile(first), first, t0).schedule).toMatchObject([{ due: t0 + 30 * 60_000 }]);
    const both = [add(0), add(10, 'p2')];
    const plan = planTriggers([cart], profile(both), both.slice(1), t0);
    expect(plan.cancel).toContain('cart-abandoned'); // the earlier timer is replaced…
    expect(plan.schedule).toMatchObject([{ due: t0 + 40 * 60_000, data: { cartValue: 20 } }]); // …by one from the latest change
  });
  it('is cancelled by an order, or by emptying the cart', () => {
    const ordered = [add(0), order(5)];
    expect(planTriggers([cart], profile(ordered), ordered.slice(1), t0)).toEqual({ schedule: [], cancel: ['cart-abandoned'] });
    const emptied = [add(0), ev('Product Removed', 5, { product_id: 'p1' })];
    expect(planTriggers([cart], profile(emptied), emptied.slice(1), t0)).toEqual({ schedule: [], cancel: ['cart-abandoned'] });
  });
  it('no longer holds at fire time when an order came after the cart change', () => {
    const p = profile([add(0)]);
    const { data } = planTriggers([cart], p, [add(0)], t0).schedule[0]!;
    expect(stillHolds(cart, p, at(0), data)).toBe(true);
    applyEvent(p, ev('Order Completed', 20, { products: [] }));
    p.commerce.cart.push({ productId: 'p9', quantity: 1 }); // even with something still in the cart, the order came after it
    expect(stillHolds(cart, p, at(0), data)).toBe(false);
  });
  it('schedules nothing without the consent purpose, and cancels what was pending', () => {
    const events = [add(0)];
    const p = profile(events, { analytics: true, personalization: false });
    expect(planTriggers([cart], p, events, t0)).toEqual({ schedule: [], cancel: ['cart-abandoned'] });
    expect(planTriggers([T('cart-abandoned', { consent: 'analytics' })], p, events, t0).schedule).toHaveLength(1);
    p.consent = null; // no recorded choice is no consent
    expect(planTriggers([cart], p, events, t0).schedule).toEqual([]);
    expect(stillHolds(cart, p, at(0), {})).toBe(false);
  });
});

describe('browse abandoned', () => {
  const browse = T('browse-abandoned', { after: { minutes: 20 } });
  it('is due after the last view, cancelled by an add', () => {
    const viewed = [ev('Product Viewed', 0, { product_id: 'p1' }), ev('Product Viewed', 3, { product_id: 'p2' })];
    expect(planTriggers([browse], profile(viewed), viewed, t0).schedule).toMatchObject([{ due: t0 + 23 * 60_000 }]);
    const added = [...viewed, add(5)];
    expect(planTriggers([browse], profile(added), added.slice(2), t0)).toEqual({ schedule: [], cancel: ['browse-abandoned'] });
    expect(stillHolds(browse, profile(added), at(3), { viewedAt: at(3) })).toBe(false);
  });
});

describe('repurchase due', () => {
  const refill = T('repurchase-due', { after: { days: 30 } });
  it('uses the product\'s replenishment period, else the trigger\'s days; a newer order supersedes', () => {
    const events = [order(0, [{ product_id: 'serum' }, { product_id: 'mask' }])];
    const plan = planTriggers([refill], profile(events), events, t0, { serum: 45 });
    expect(plan.schedule.map((s) => [s.data.productId, (s.due - t0) / 86_400_000])).toEqual([['serum', 45], ['mask', 30]]);
    expect(plan.schedule[0]!.supersedes).toBe('repurchase-due:serum:');
  });
});

describe('birthday', () => {
  it('is the next occurrence of the month and day, this year or the next', () => {
    expect(new Date(nextBirthday('1990-05-20', t0)!).toISOString()).toBe('2026-05-20T09:00:00.000Z');
    expect(new Date(nextBirthday('04-02', t0)!).toISOString()).toBe('2027-04-02T09:00:00.000Z');
    expect(new Date(nextBirthday('2000-02-29', t0)!).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(nextBirthday('soon', t0)).toBeUndefined();
  });
});

describe('segments and quizzes', () => {
  it('fire at once on an entry, exit or completed quiz they watch', () => {
    const entered = ev('Segment Entered', 0, { segment_id: 'vip' });
    const quiz = ev('Quiz Completed', 1, { quiz: 'skin' });
    const triggers = [T('segment-entered', { segment: 'vip' }), T('segment-exited', { segment: 'vip' }), T('quiz-completed', { quiz: 'skin' })];
    const plan = planTriggers(triggers, profile([]), [entered, quiz, ev('Segment Entered', 0, { segment_id: 'other' })], t0);
    expect(plan.schedule.map((s) => [s.trigger, s.due])).toEqual([['segment-entered', t0], ['quiz-completed', t0 + 60_000]]);
  });
});

describe('names are own keys only (docs/security.md)', () => {
  it('a product called "constructor" or "__proto__" gets its own replenishment period, or the trigger\'s days', () => {
    const refill = T('repurchase-due', { after: { days: 30 } });
    const events = [order(0, [{ product_id: 'constructor' }, { product_id: '__proto__' }, { product_id: 'toString' }])];
    // As the ingest's RPC hands it over: a plain object, the catalog's products as own keys.
    const days = Object.fromEntries([['__proto__', 45]]) as Record<string, number>;
    const plan = planTriggers([refill], profile(events), events, t0, days);
    expect(plan.schedule.map((s) => [s.data.productId, (s.due - t0) / 86_400_000])).toEqual([['constructor', 30], ['__proto__', 45], ['toString', 30]]);
  });

  it('the catalog\'s replenishment period of a product called "__proto__" reaches the plan', () => {
    const catalog = { byId: new Map([['__proto__', { product: { attributes: { replenishDays: 45 } } }]]) } as unknown as CompiledCatalog;
    const days = replenishDaysOf(catalog, ['__proto__', 'constructor']);
    expect(Object.entries(days)).toEqual([['__proto__', 45]]);
    const refill = T('repurchase-due', { after: { days: 30 } });
    const events = [order(0, [{ product_id: '__proto__' }])];
    expect(planTriggers([refill], profile(events), events, t0, structuredClone(days)).schedule.map((s) => (s.due - t0) / 86_400_000)).toEqual([45]);
  });

  it('an order of product "a" supersedes the reminders of "a", never those of a product called "a:b"', () => {
    const refill = T('repurchase-due', { after: { days: 30 } });
    const events = [order(0, [{ product_id: 'a' }, { product_id: 'a:b' }])];
    const [a, ab] = planTriggers([refill], profile(events), events, t0).schedule;
    expect(ab!.key.startsWith(a!.supersedes!)).toBe(false);
    expect(a!.key.startsWith(a!.supersedes!)).toBe(true);
    expect([a!.data.productId, ab!.data.productId]).toEqual(['a', 'a:b']);
  });

  it('a segment trigger for "toString" holds only while the profile is in that segment', () => {
    const entered = T('segment-entered', { segment: 'toString' });
    const exited = T('segment-exited', { segment: 'toString' });
    const p = JSON.parse(JSON.stringify(profile([]))) as ReturnType<typeof profile>; // plain maps, as read back
    expect([stillHolds(entered, p, at(0), {}), stillHolds(exited, p, at(0), {})]).toEqual([false, true]);
    Object.defineProperty(p.segments, 'toString', { value: { since: at(0) }, enumerable: true });
    expect([stillHolds(entered, p, at(0), {}), stillHolds(exited, p, at(0), {})]).toEqual([true, false]);
  });
});
