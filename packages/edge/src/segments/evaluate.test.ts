// The rule language, case by case: this table is its reference. Each row: a rule, and whether the
// profile below (a returning visitor with a dry-skin quiz answer, a cart and two orders) matches.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../contract/profile.js';
import { OPERATORS, ruleSchema, type Rule } from '../contract/rules.js';
import { emptyProfile } from '../profile/apply.js';
import { EVALUATORS, evaluate, isContextual, segmentLookup, type Evaluators, type RequestContext } from './evaluate.js';
import { recomputeSegments } from './membership.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const H = 3_600_000;
const D = 24 * H;
const day = (n: number) => ago(n * D).slice(0, 10);

function visitor(): Profile {
  const p = emptyProfile('demo', 'a:anon-1', ago(60 * D));
  p.consent = { analytics: true, personalization: true, updatedAt: ago(60 * D) };
  p.traits = { skin_type: 'Dry', age: '34', address: { country: 'DE' }, vip: true };
  p.answers = {
    'skin-type': { value: 'dry', quiz: 'skin', at: ago(D) },
    concerns: { value: ['acne', 'redness'], quiz: 'skin', at: ago(D) },
  };
  p.counters = {
    'Product Viewed': { count: 10, firstAt: ago(30 * D), lastAt: ago(2 * D), daily: { [day(0)]: 2, [day(1)]: 1, [day(10)]: 7 } },
    'Product Added': { count: 1, firstAt: ago(3 * H), lastAt: ago(3 * H), daily: { [day(0)]: 1 } },
  };
  p.commerce = {
    cart: [{ productId: 'p1', quantity: 2, price: 10 }],
    cartValue: 20,
    cartUpdatedAt: ago(3 * H),
    orders: 2,
    revenue: 90,
    averageOrderValue: 45,
    lastOrder: { orderId: 'o2', revenue: 50, at: ago(40 * D) },
    purchased: ['p7', 'p9'],
  };
  p.affinities = {
    category: { moisturizers: { score: 4, at: ago(0) }, cleansers: { score: 10, at: ago(28 * D) } },
    tag: { 'dry-skin': { score: 3, at: ago(D) } },
  };
  p.firstSeen = ago(60 * D);
  p.lastSeen = ago(2 * D);
  return p;
}

const context: RequestContext = {
  device: 'mobile',
  country: 'DE',
  page: { path: '/skin/moisturizers', url: 'https://shop.example/skin/moisturizers?utm_source=news' },
  campaign: { source: 'news', medium: 'email' },
};

const segmentRules = new Map<string, Rule>([
  ['dry', { answer: 'skin-type', eq: 'dry' }],
  ['buyer', { commerce: 'orders', gte: 1 }],
  ['loop-a', { segment: 'loop-b' }],
  ['loop-b', { segment: 'loop-a' }],
]);

const facts = (over: Partial<Parameters<typeof segmentLookup>[1]> = {}) =>
  segmentLookup(segmentRules, { profile: visitor(), context, now: NOW, consent: { analytics: true, personalization: true }, ...over });

// [what it says, rule, expected]
const table: [string, Rule, boolean][] = [
  // traits: by name or dot path; strings compare case-insensitively; numbers may arrive as text
  ['trait equals (case-insensitive)', { trait: 'skin_type', eq: 'dry' }, true],
  ['trait differs', { trait: 'skin_type', ne: 'oily' }, true],
  ['nested trait by dot path', { trait: 'address.country', eq: 'DE' }, true],
  ['numeric comparison of a trait sent as text', { trait: 'age', gte: 30 }, true],
  ['boolean trait', { trait: 'vip', eq: true }, true],
  ['trait in a list', { trait: 'skin_type', in: ['oily', 'dry'] }, true],
  ['trait not in a list', { trait: 'skin_type', notIn: ['oily', 'normal'] }, true],
  ['text contains', { trait: 'skin_type', contains: 'RY' }, true],
  ['text starts with (case-sensitive)', { trait: 'skin_type', startsWith: 'Dr' }, true],
  ['trait exists', { trait: 'age', exists: true }, true],
  ['missing trait: exists false', { trait: 'birthday', exists: false }, true],
  ['missing trait is simply false, even for ne', { trait: 'birthday', ne: 'x' }, false],
  ['missing trait is false for numbers', { trait: 'birthday', gt: 0 }, false],
  // quiz answers: a multi-choice answer matches when any of its values does
  ['answer equals', { answer: 'skin-type', eq: 'dry' }, true],
  ['multi-choice answer contains a value', { answer: 'concerns', eq: 'acne' }, true],
  ['multi-choice answer in a list', { answer: 'concerns', in: ['wrinkles', 'redness'] }, true],
  ['multi-choice answer: none of', { answer: 'concerns', notIn: ['acne'] }, false],
  ['unanswered question', { answer: 'budget', eq: 'low' }, false],
  // event counts, all time or within a window of UTC days (today and the N-1 before)
  ['event count, all time', { event: 'Product Viewed', gte: 10 }, true],
  ['3 product views in the last 7 days', { event: 'Product Viewed', withinDays: 7, gte: 3 }, true],
  ['not 4 in the last 7 days', { event: 'Product Viewed', withinDays: 7, gte: 4 }, false],
  ['today only', { event: 'Product Viewed', withinDays: 1, eq: 2 }, true],
  ['all events ("*")', { event: '*', gte: 11 }, true],
  ['never happened counts as 0', { event: 'Order Refunded', eq: 0 }, true],
  // recency
  ['viewed within the last 3 days', { daysSince: 'Product Viewed', lte: 3 }, true],
  ['added to cart over an hour ago', { hoursSince: 'Product Added', gte: 1 }, true],
  ['last seen ("*") 2 days ago', { daysSince: '*', gte: 2 }, true],
  ['first seen 60 days ago', { daysSince: 'firstSeen', gte: 59 }, true],
  ['recency of an event that never happened is false', { daysSince: 'Order Refunded', gte: 0 }, false],
  // commerce
  ['has ordered', { commerce: 'orders', gte: 1 }, true],
  ['revenue', { commerce: 'revenue', gt: 89.5 }, true],
  ['average order value', { commerce: 'averageOrderValue', eq: 45 }, true],
  ['cart value', { commerce: 'cartValue', gte: 20 }, true],
  ['cart not empty (items)', { commerce: 'cartItems', gt: 0 }, true],
  ['no order for 30 days', { commerce: 'daysSinceLastOrder', gte: 30 }, true],
  // affinities decay (half-life 14 days): cleansers 10 → 2.5 after 28 days, below moisturizers' 4
  ['affinity score', { affinity: 'category:moisturizers', gte: 3.9 }, true],
  ['decayed affinity', { affinity: 'category:cleansers', lt: 2.6 }, true],
  ['top category affinity', { topAffinity: 'category', eq: 'moisturizers' }, true],
  ['top tag affinity', { topAffinity: 'tag', eq: 'dry-skin' }, true],
  ['unknown affinity', { affinity: 'tag:oily', gt: 0 }, false],
  // consent, new vs returning, other segments
  ['consent shorthand', { consent: 'personalization' }, true],
  ['returning visitor', { visitor: 'returning' }, true],
  ['new visitor', { visitor: 'new' }, false],
  ['member of another segment', { segment: 'dry' }, true],
  ['unknown segment', { segment: 'nope' }, false],
  ['a reference cycle evaluates to false, not forever', { segment: 'loop-a' }, false],
  // the request: device, country, campaign, page
  ['device', { context: 'device', eq: 'mobile' }, true],
  ['country in a list', { context: 'country', in: ['DE', 'AT', 'CH'] }, true],
  ['campaign source', { context: 'campaign.source', eq: 'news' }, true],
  ['page path prefix', { context: 'page.path', startsWith: '/skin/' }, true],
  ['missing campaign field', { context: 'campaign.term', exists: false }, true],
  // combinators
  ['all', { all: [{ segment: 'dry' }, { segment: 'buyer' }] }, true],
  ['all with one false', { all: [{ segment: 'dry' }, { visitor: 'new' }] }, false],
  ['any', { any: [{ visitor: 'new' }, { segment: 'buyer' }] }, true],
  ['not', { not: { trait: 'skin_type', eq: 'oily' } }, true],
  ['cart abandoner', { all: [{ commerce: 'cartItems', gt: 0 }, { hoursSince: 'Product Added', gte: 1 }, { not: { hoursSince: 'Order Completed', lt: 1 } }] }, true],
];

describe('rule language', () => {
  it.each(table)('%s', (_, rule, expected) => {
    expect(ruleSchema.safeParse(rule).success, 'the rule is valid').toBe(true);
    expect(evaluate(rule, facts())).toBe(expected);
  });

  it('without personalization consent only contextual conditions hold', () => {
    const f = facts({ consent: { analytics: true, personalization: false } });
    expect(evaluate({ trait: 'skin_type', eq: 'dry' }, f)).toBe(false);
    expect(evaluate({ trait: 'birthday', exists: false }, f)).toBe(false);
    expect(evaluate({ segment: 'dry' }, f)).toBe(false);
    expect(evaluate({ context: 'device', eq: 'mobile' }, f)).toBe(true);
    expect(evaluate({ consent: 'personalization', eq: false }, f)).toBe(true);
  });

  it('a visitor without a profile is new and matches no profile fact', () => {
    const f = facts({ profile: null });
    expect(evaluate({ visitor: 'new' }, f)).toBe(true);
    expect(evaluate({ event: 'Product Viewed', eq: 0 }, f)).toBe(false);
    expect(evaluate({ context: 'country', eq: 'de' }, f)).toBe(true);
  });

  it('tells contextual rules from profile rules', () => {
    expect(isContextual({ all: [{ context: 'device', eq: 'mobile' }, { consent: 'analytics' }] })).toBe(true);
    expect(isContextual({ any: [{ context: 'device', eq: 'mobile' }, { segment: 'dry' }] })).toBe(false);
  });
});

describe('invalid rules name what is wrong', () => {
  const message = (rule: unknown) => ruleSchema.safeParse(rule).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  it.each([
    [{}, /needs one of all, any, not or a condition/],
    [{ trait: 'a', answer: 'b', eq: 1 }, /has trait and answer/],
    [{ trait: 'a' }, /"trait" needs an operator/],
    [{ trait: 'a', eq: 1, gt: 2 }, /one operator per condition/],
    [{ all: [{ trait: 'a', eq: 1 }, { bogus: 1 }] }, /all\.1: Unrecognized key: "bogus"/],
    [{ trait: 'a', eq: 1, withinDays: 7 }, /withinDays applies to "event"/],
    [{ commerce: 'profit', gt: 1 }, /commerce/],
    [{ affinity: 'brand:x', gt: 1 }, /category:<name>/],
  ])('%j', (rule, pattern) => {
    expect(message(rule)).toMatch(pattern);
  });
});

describe('membership', () => {
  it('records the time each segment was entered, and who entered or left', () => {
    const p = visitor();
    p.segments = { gone: { since: ago(5 * D) }, buyer: { since: ago(3 * D) } };
    const rules = new Map<string, Rule>([
      ['dry', { answer: 'skin-type', eq: 'dry' }],
      ['buyer', { commerce: 'orders', gte: 1 }],
      ['oily', { answer: 'skin-type', eq: 'oily' }],
    ]);
    const r = recomputeSegments(p, rules, NOW);
    expect(r.segments).toEqual({ dry: { since: new Date(NOW).toISOString() }, buyer: { since: ago(3 * D) } });
    expect(r.entered).toEqual(['dry']);
    expect(r.exited).toEqual(['gone']);
  });
});

describe('names are own keys only (docs/security.md)', () => {
  const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
  // A profile as any JSON reader gives it back (maps with Object.prototype), and one that holds every name.
  const plain = () => JSON.parse(JSON.stringify(visitor())) as Profile;
  const holding = () => {
    const p = plain();
    for (const n of HOSTILE) {
      Object.defineProperty(p.traits, n, { value: 'x', enumerable: true, writable: true, configurable: true });
      Object.defineProperty(p.answers, n, { value: { value: 'x', at: ago(D) }, enumerable: true, writable: true, configurable: true });
      Object.defineProperty(p.counters, n, { value: { count: 2, firstAt: ago(D), lastAt: ago(H), daily: { [day(0)]: 2 } }, enumerable: true, writable: true, configurable: true });
      Object.defineProperty(p.affinities.category, n, { value: { score: 5, at: ago(0) }, enumerable: true, writable: true, configurable: true });
    }
    return p;
  };
  const run = (rule: Rule, p: Profile) =>
    evaluate(rule, segmentLookup(new Map(), { profile: p, context: {}, now: NOW, consent: { analytics: true, personalization: true } }));

  it.each(HOSTILE)('a missing %j trait, answer, event or affinity is false, a present one true', (n) => {
    const rules: Rule[] = [
      { trait: n, exists: true },
      { trait: `address.${n}`, exists: true },
      { answer: n, exists: true },
      { event: n, gte: 1 },
      { event: n, withinDays: 7, gte: 1 },
      { hoursSince: n, lte: 2 },
      { affinity: `category:${n}`, gt: 0 },
    ];
    for (const rule of rules) expect(run(rule, plain()), JSON.stringify(rule)).toBe(false);
    for (const rule of rules.filter((r) => r.trait !== `address.${n}`)) expect(run(rule, holding()), JSON.stringify(rule)).toBe(true);
  });

  it('a segment named like an Object.prototype member is entered and left like any other', () => {
    const p = plain();
    const rules = new Map<string, Rule>(HOSTILE.map((n) => [n, { trait: 'vip', eq: true }]));
    const r = recomputeSegments(p, rules, NOW);
    expect(r.entered).toEqual(HOSTILE);
    expect(Object.keys(r.segments)).toEqual(HOSTILE);
    const left = recomputeSegments({ ...p, segments: r.segments, traits: {} }, rules, NOW);
    expect(left.exited).toEqual(HOSTILE);
    expect(Object.keys(left.segments)).toEqual([]);
  });
});

describe('operators and their evaluators', () => {
  it('has an evaluator for every operator of the rule language, and for no other', () => {
    expect(Object.keys(EVALUATORS).sort()).toEqual(Object.keys(OPERATORS).sort());
  });

  it('does not compile a table that misses an operator or adds one (npm run typecheck checks these lines)', () => {
    const { startsWith: _, ...rest } = EVALUATORS;
    // @ts-expect-error Property 'startsWith' is missing: an operator without an evaluator does not compile
    const partial: Evaluators = rest;
    // @ts-expect-error Object literal may only specify known properties: an evaluator needs its operator in contract/rules.ts
    const extra: Evaluators = { ...EVALUATORS, endsWith: (v: unknown, x: string) => typeof v === 'string' && v.endsWith(x) };
    expect(Object.keys(partial)).not.toContain('startsWith');
    expect(Object.keys(extra)).toContain('endsWith');
  });
});
