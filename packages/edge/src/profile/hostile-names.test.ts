// Names from outside are data (docs/security.md): applyEvent and mergeProfiles treat an event, trait, question,
// product, category, experiment or group called `__proto__`, `constructor`, `toString`… like any other, and a
// profile read back from JSON or a clone is as safe as one built fresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../contract/profile.js';
import { applyEvent, emptyProfile } from './apply.js';
import type { AcceptedEvent } from '../contract/events.js';
import { mergeProfiles } from './merge.js';
import { cloneProfile, parseProfile } from './revive.js';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const T = (d: number) => new Date(Date.UTC(2026, 10, d, 12)).toISOString();
let n = 0;
const ev = (at: string, e: Record<string, unknown>): AcceptedEvent =>
  ({ messageId: `m${n++}`, anonymousId: 'a', receivedAt: at, timestamp: at, ...e }) as AcceptedEvent;
/** An object with `name` as an own key, as JSON.parse gives it (a literal `{ __proto__: … }` would set the prototype). */
const obj = (...pairs: [string, unknown][]) => Object.fromEntries(pairs) as Record<string, unknown>;
const own = (o: object, k: string) => (Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/** Every kind of name set to `name`, at `at`. */
const story = (name: string, at: string): AcceptedEvent[] => [
  ev(at, { type: 'track', event: name, properties: obj([name, 1]) }),
  ev(at, { type: 'identify', traits: obj([name, 'v']) }),
  ev(at, { type: 'group', groupId: name, traits: obj([name, 2]) }),
  ev(at, { type: 'track', event: 'Question Answered', properties: { quiz: name, question: name, answer: 'yes' } }),
  ev(at, { type: 'track', event: 'Experiment Viewed', properties: { experiment_id: name, variant_id: name } }),
  ev(at, { type: 'track', event: 'Product Viewed', properties: { product_id: name, category: name, tags: [name] } }),
  ev(at, { type: 'track', event: 'Order Completed', properties: { revenue: 3, products: [{ product_id: name, category: name }] } }),
];
const build = (id: string, events: AcceptedEvent[]) => events.reduce((p, e) => applyEvent(p, e), emptyProfile('demo', id, events[0]!.timestamp));

function expectStory(p: Profile, name: string, count: number, at: string) {
  expect(own(p.counters, name), name).toMatchObject({ count });
  expect(own(p.traits, name)).toBe('v');
  expect(own(p.traitsAt, name)).toBe(at);
  expect(own(p.answers, name)).toEqual({ value: 'yes', quiz: name, at: expect.any(String) });
  expect(own(p.experiments, name)).toEqual({ variant: name, at: expect.any(String) });
  expect(own(own(p.groups, name) as object, name)).toBe(2);
  expect(own(p.affinities.category, name.toLowerCase())).toBeDefined();
  expect(own(p.affinities.tag, name.toLowerCase())).toBeDefined();
  expect(p.commerce.purchased).toContain(name);
}

function prototypeUntouched() {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.prototype.constructor).toBe(Object);
  expect(({} as Record<string, unknown>).count).toBeUndefined();
  expect(({} as Record<string, unknown>).daily).toBeUndefined();
}

describe.each(HOSTILE)('the name %j in a profile', (name) => {
  it('is an ordinary key of every map applyEvent fills', () => {
    const p = build('a:a', [...story(name, T(2)), ev(T(3), { type: 'track', event: name })]);
    expectStory(p, name, 2, T(2));
    expect(own(p.counters, name)).toEqual({ count: 2, firstAt: T(2), lastAt: T(3), daily: { '2026-11-02': 1, '2026-11-03': 1 } });
    // JSON keeps it as an own key, and a profile read back counts on from it.
    const back = parseProfile(JSON.stringify(p));
    applyEvent(back, ev(T(4), { type: 'track', event: name }));
    expect(own(back.counters, name)).toMatchObject({ count: 3, lastAt: T(4) });
    prototypeUntouched();
  });

  it('adds up when two profiles that both hold it merge, whichever way, and from a plain (RPC) copy', () => {
    const a = build('a:x', story(name, T(2)));
    const b = build('u:y', story(name, T(5)));
    // What another object's RPC answer looks like: plain objects, the name an own key.
    const plainB = JSON.parse(JSON.stringify(b)) as Profile;
    for (const m of [mergeProfiles(a, plainB), mergeProfiles(b, a), mergeProfiles(cloneProfile(a), b)]) {
      expect(own(m.counters, name)).toMatchObject({ count: 2, firstAt: T(2), lastAt: T(5) });
      expect(own(m.traits, name)).toBe('v');
      expect(own(m.traitsAt, name)).toBe(T(5)); // the later event's value
      expect(own(m.answers, name)).toMatchObject({ at: T(5) });
      expect(own(m.experiments, name)).toEqual({ variant: name, at: T(2) }); // the earlier profile's arm
      expect(own(m.quality.counts, name)).toBeUndefined();
      // Merged again: still an own key, still adding up.
      const again = mergeProfiles(m, a);
      expect(own(again.counters, name)).toMatchObject({ count: 3 });
    }
    prototypeUntouched();
  });
});

describe('a profile read back', () => {
  it('has null-prototype maps, whether parsed from JSON or cloned', () => {
    const p = build('a:a', story('constructor', T(2)));
    for (const q of [parseProfile(JSON.stringify(p)), cloneProfile(p)]) {
      for (const m of [q.traits, q.traitsAt, q.answers, q.counters, q.affinities.category, q.affinities.tag, q.groups, q.segments, q.experiments, q.quality.counts])
        expect(Object.getPrototypeOf(m)).toBeNull();
      // Daily buckets are keyed by UTC days the edge derives (never a visitor's name), so they stay plain objects.
      for (const c of Object.values(q.counters)) expect(Object.keys(c.daily).every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
      // A name the visitor never sent is absent, not inherited.
      expect(q.counters.toString).toBeUndefined();
      expect(q.traits.hasOwnProperty).toBeUndefined();
    }
  });
});

describe('any name', () => {
  it('counts exactly, merges exactly and leaves Object.prototype alone (property test)', () => {
    const name = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.integer({ min: 1, max: 28 })), { minLength: 1, maxLength: 20 }), fc.array(name, { maxLength: 8 }), (events, other) => {
        const p = build('a:a', events.map(([e, d]) => ev(T(d), { type: 'track', event: e, properties: obj([e, d]) })));
        const expected = new Map<string, number>();
        for (const [e] of events) expected.set(e, (expected.get(e) ?? 0) + 1);
        expect(Object.keys(p.counters).sort()).toEqual([...expected.keys()].sort());
        for (const [e, k] of expected) expect(own(p.counters, e)).toMatchObject({ count: k });
        const q = build('u:b', other.length ? other.map((e) => ev(T(1), { type: 'track', event: e })) : [ev(T(1), { type: 'page' })]);
        const m = mergeProfiles(parseProfile(JSON.stringify(p)), JSON.parse(JSON.stringify(q)) as Profile);
        for (const e of new Set([...expected.keys(), ...other])) expect(own(m.counters, e), e).toMatchObject({ count: (expected.get(e) ?? 0) + other.filter((x) => x === e).length });
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
