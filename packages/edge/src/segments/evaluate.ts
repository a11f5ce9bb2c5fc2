// Pure rule evaluation: a rule, the facts (profile, request, time) → true or false. Never throws on missing
// data — a missing fact is simply false — and never does I/O.
import { own } from '../contract/dict.js';
import { PROFILE_BOUNDS, type Profile } from '../contract/profile.js';
import { CONTEXTUAL_SUBJECTS, SUBJECTS, type Condition, type Operand, type Operator, type Rule } from '../contract/rules.js';

/** What the request tells us without a profile. */
export interface RequestContext {
  device?: 'mobile' | 'tablet' | 'desktop';
  country?: string;
  locale?: string;
  referrer?: string;
  page?: { path?: string; url?: string };
  campaign?: Record<string, unknown>;
}

export interface Facts {
  profile: Profile | null;
  context: RequestContext;
  /** ms since the epoch */
  now: number;
  consent: { analytics: boolean; personalization: boolean };
  /** Membership of another segment (memoized and cycle-safe; see segmentLookup). */
  segment(id: string): boolean;
}

const DAY = 86_400_000;
const NEW_VISITOR_MS = 30 * 60_000;

/** A value by a dotted path, through own keys only: `traits.constructor` is a trait, never Object. */
const get = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? own(o as Record<string, unknown>, k) : undefined), obj);

const since = (iso: string | null | undefined, now: number, unit: number) => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : (now - t) / unit;
};

/** An affinity score decayed to `now` (half-life PROFILE_BOUNDS.affinityHalfLifeDays). */
export const decayed = (s: { score: number; at: string }, now: number) =>
  s.score * 0.5 ** (Math.max(0, now - Date.parse(s.at)) / (PROFILE_BOUNDS.affinityHalfLifeDays * DAY));

function eventCount(p: Profile, name: string, withinDays: number | undefined, now: number): number {
  const one = own(p.counters, name);
  const counters = name === '*' ? Object.values(p.counters) : one ? [one] : [];
  if (withinDays === undefined) return counters.reduce((n, c) => n + c.count, 0);
  // Daily buckets are UTC days: "the last 7 days" is today and the 6 before it.
  const from = new Date(now - (Math.ceil(withinDays) - 1) * DAY).toISOString().slice(0, 10);
  let n = 0;
  for (const c of counters) for (const [day, k] of Object.entries(c.daily)) if (day >= from) n += k;
  return n;
}

function topAffinity(p: Profile, kind: 'category' | 'tag', now: number): string | undefined {
  let best: string | undefined;
  let score = 0;
  for (const [name, s] of Object.entries(p.affinities[kind])) {
    const v = decayed(s, now);
    if (v > score) [best, score] = [name, v];
  }
  return best;
}

/** The value a condition looks at; undefined when missing. */
function valueOf(c: Condition, f: Facts): unknown {
  const p = f.profile;
  if (c.context !== undefined) return get(f.context, c.context);
  if (c.consent !== undefined) return f.consent[c.consent];
  if (c.segment !== undefined) return f.segment(c.segment);
  if (c.visitor !== undefined) {
    const first = p ? Date.parse(p.firstSeen) : NaN;
    const isNew = Number.isNaN(first) || f.now - first < NEW_VISITOR_MS;
    return (c.visitor === 'new') === isNew;
  }
  if (!p) return undefined;
  if (c.trait !== undefined) return get(p.traits, c.trait);
  if (c.answer !== undefined) return own(p.answers, c.answer)?.value;
  if (c.event !== undefined) return eventCount(p, c.event, c.withinDays, f.now);
  const sinceName = c.daysSince ?? c.hoursSince;
  if (sinceName !== undefined) {
    const at = sinceName === '*' ? p.lastSeen : sinceName === 'firstSeen' ? p.firstSeen : own(p.counters, sinceName)?.lastAt;
    return since(at, f.now, c.daysSince !== undefined ? DAY : 3_600_000);
  }
  if (c.commerce !== undefined) {
    const m = p.commerce;
    if (c.commerce === 'cartItems') return m.cart.reduce((n, i) => n + i.quantity, 0);
    if (c.commerce === 'daysSinceLastOrder') return since(m.lastOrder?.at, f.now, DAY);
    return m[c.commerce];
  }
  if (c.affinity !== undefined) {
    const [kind, ...rest] = c.affinity.split(':');
    const s = kind === 'category' || kind === 'tag' ? own(p.affinities[kind], rest.join(':')) : undefined;
    return s && decayed(s, f.now);
  }
  if (c.topAffinity !== undefined) return topAffinity(p, c.topAffinity, f.now);
  return undefined;
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

/** Equality as a marketer means it: "Dry" is "dry", "3" is 3. */
const same = (a: unknown, b: unknown) =>
  a === b ||
  (typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase()) ||
  (typeof a !== typeof b && num(a) === num(b));

/** A multi-choice answer (a list) matches when any of its values does. */
const anyOf = (v: unknown, test: (x: unknown) => boolean) => (Array.isArray(v) ? v.some(test) : test(v));

/** How an operator tests a fact `v` against its operand. */
export type Evaluators = { [K in Operator]: (v: unknown, operand: Operand<K>) => boolean };

/**
 * An evaluator for every operator of contract/rules.ts: typed as a table over the operator names, so an
 * operator added there without one here does not compile (evaluate.test.ts checks that it would not). Listed
 * in order of precedence, should a condition carry two. All but `exists` see only a fact that is present.
 */
export const EVALUATORS: Evaluators = {
  exists: (v, want) => (v !== undefined && v !== null) === want,
  eq: (v, x) => anyOf(v, (y) => same(y, x)),
  ne: (v, x) => !anyOf(v, (y) => same(y, x)),
  in: (v, xs) => anyOf(v, (y) => xs.some((x) => same(y, x))),
  notIn: (v, xs) => !anyOf(v, (y) => xs.some((x) => same(y, x))),
  gt: (v, x) => num(v) > x,
  gte: (v, x) => num(v) >= x,
  lt: (v, x) => num(v) < x,
  lte: (v, x) => num(v) <= x,
  contains: (v, x) => (Array.isArray(v) ? v.some((y) => same(y, x)) : typeof v === 'string' && v.toLowerCase().includes(String(x).toLowerCase())),
  startsWith: (v, x) => typeof v === 'string' && v.startsWith(x),
};
const OPERATOR_ORDER = Object.keys(EVALUATORS) as Operator[];

const missing = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));

function compare(c: Condition, v: unknown): boolean {
  const op = OPERATOR_ORDER.find((k) => c[k] !== undefined);
  if (op === undefined) return v === true; // shorthand: { "consent": "personalization" }, { "segment": "x" }, { "visitor": "new" }
  if (op !== 'exists' && missing(v)) return false;
  return (EVALUATORS[op] as (v: unknown, operand: unknown) => boolean)(v, c[op]); // op and its operand come from one key
}

const subjectOf = (c: Condition) => Object.keys(c).find((k) => Object.hasOwn(SUBJECTS, k));

/** Whether a rule uses only what the request tells (so it may apply without personalization consent). */
export function isContextual(rule: Rule): boolean {
  if (rule.all) return rule.all.every(isContextual);
  if (rule.any) return rule.any.every(isContextual);
  if (rule.not) return isContextual(rule.not);
  return CONTEXTUAL_SUBJECTS.has(subjectOf(rule) ?? '');
}

export function evaluate(rule: Rule, f: Facts): boolean {
  if (rule.all) return rule.all.every((r) => evaluate(r, f));
  if (rule.any) return rule.any.some((r) => evaluate(r, f));
  if (rule.not) return !evaluate(rule.not, f);
  // Without personalization consent, only what the request itself says may be used.
  if (!f.consent.personalization && !CONTEXTUAL_SUBJECTS.has(subjectOf(rule) ?? '')) return false;
  return compare(rule, valueOf(rule, f));
}

/**
 * Segment membership for one evaluation: each segment computed at most once, and a reference cycle
 * (which `attune validate` refuses) evaluates to false instead of recursing forever.
 */
export function segmentLookup(rules: ReadonlyMap<string, Rule>, base: Omit<Facts, 'segment'>): Facts {
  const memo = new Map<string, boolean>();
  const facts: Facts = {
    ...base,
    segment(id) {
      const known = memo.get(id);
      if (known !== undefined) return known;
      const rule = rules.get(id);
      memo.set(id, false); // in progress: a cycle back here reads false
      const v = rule ? evaluate(rule, facts) : false;
      memo.set(id, v);
      return v;
    },
  };
  return facts;
}
