// The personal strategies, `for-you` and `quiz`: what the visitor did and told us, scored against products.
// Scoring every product cost ~3 ms a request with 5,000 products; instead each request gathers candidates
// from precomputed lists (candidates.ts) — the top products of the categories and tags the visitor is into,
// of the attribute values their answers ask for, and the neighbours of what they viewed and bought — and
// scores only those with the same formula. `exhaustive` keeps the score-everything versions, which the
// benchmark and tests compare against.
import type { IndexedProduct } from '../catalog/compile.js';
import type { AttuneConfig } from '../contract/config.js';
import type { Profile } from '../contract/profile.js';
import { decayed } from '../segments/evaluate.js';
import { candidateIndex, popularity, take, type CandidateIndex } from './candidates.js';
import type { ResolvedStrategy } from '../config/recs.js';
import { byScore, nameOf, seedsOf, type Candidate, type Strategy, type StrategyInput } from './strategy-kit.js';

const words = (camel: string) => camel.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** What the visitor told us, mapped through the quizzes' answers to attributes and tags. */
export interface Preferences {
  /** attribute → accepted values (lower-cased), each with the sentence that explains it */
  attributes: Map<string, { values: Set<string>; reason: string }>;
  tags: Map<string, string>;
}

export function preferencesOf(profile: Profile | null, config: AttuneConfig): Preferences {
  const prefs: Preferences = { attributes: new Map(), tags: new Map() };
  if (!profile) return prefs;
  const questions = new Map(config.quizzes.flatMap((q) => q.questions.map((x) => [x.id, x] as const)));
  for (const [question, answer] of Object.entries(profile.answers)) {
    const q = questions.get(question);
    if (!q) continue;
    const chosen = (Array.isArray(answer.value) ? answer.value : [answer.value]).map(String);
    for (const a of q.answers.filter((x) => chosen.includes(x.id))) {
      for (const [attr, v] of Object.entries(a.attributes)) {
        const value = String(v).toLowerCase();
        const p = prefs.attributes.get(attr) ?? { values: new Set<string>(), reason: '' };
        p.values.add(value);
        p.reason = `Because you told us your ${words(attr).replace(/ type$/, '')} is ${[...p.values].join(' or ')}`;
        prefs.attributes.set(attr, p);
      }
      for (const t of a.tags) if (!prefs.tags.has(t.toLowerCase())) prefs.tags.set(t.toLowerCase(), `Because you told us you care about ${a.label.toLowerCase()}`);
    }
  }
  return prefs;
}

const overlaps = (want: Set<string>, has: Set<string>) => {
  for (const v of want) if (has.has(v)) return true;
  return false;
};

/** Whether a product passes the hard attribute filters (a product without the attribute suits everyone). */
function fits(item: IndexedProduct, prefs: Preferences, filterAttributes: string[]): boolean {
  for (const attr of filterAttributes) {
    const want = prefs.attributes.get(attr);
    const has = item.attributes.get(attr);
    if (want && has && !overlaps(want.values, has)) return false;
  }
  return true;
}

/** Boost from quiz answers, with the reason of the strongest match. */
function quizBoost(item: IndexedProduct, prefs: Preferences, filterAttributes: string[]): { score: number; reason?: string } {
  let score = 0;
  let reason: string | undefined;
  let best = 0;
  for (const [attr, want] of prefs.attributes) {
    const has = item.attributes.get(attr);
    if (!has || !overlaps(want.values, has)) continue;
    const w = filterAttributes.includes(attr) ? 2 : 1;
    score += w;
    if (w > best) [best, reason] = [w, want.reason];
  }
  for (const [tag, why] of prefs.tags)
    if (item.tags.has(tag)) {
      score += 0.5;
      if (best < 0.5) [best, reason] = [0.5, why];
    }
  return { score, ...(reason && { reason }) };
}

/**
 * Adds the first `n` products of a category-like list, narrowed by the hard filter when the visitor told us
 * a value for it: the unnarrowed list would be mostly products the filter drops. Products without the
 * attribute suit everyone, so their list is read too.
 */
function takeFitting(index: CandidateIndex, category: string, prefs: Preferences, s: ResolvedStrategy, n: number, pool: Set<IndexedProduct>) {
  const attr = s.filterAttributes.find((a) => prefs.attributes.has(a));
  if (!attr) return take(index.category(category), n, pool);
  for (const v of prefs.attributes.get(attr)!.values) take(index.categoryAttribute(category, attr, v), n, pool);
  take(index.categoryAttribute(category, attr, ''), n, pool);
}

const QUIZ_DEPTH = 60;

const narrowedTo = (input: StrategyInput, s: ResolvedStrategy) => [...(input.category ? [input.category] : []), ...(s.filters.categories ?? []).map((c) => c.toLowerCase())];

/** Products that fit the answers: the most popular of each wanted attribute value and tag. */
function quizPool(input: StrategyInput, s: ResolvedStrategy, prefs: Preferences): Set<IndexedProduct> {
  const index = candidateIndex(input.catalog, input.stats, input.now);
  const pool = new Set<IndexedProduct>();
  for (const [attr, want] of prefs.attributes) for (const v of want.values) take(index.attribute(attr, v), QUIZ_DEPTH, pool);
  for (const tag of prefs.tags.keys()) take(index.tag(tag), QUIZ_DEPTH, pool);
  for (const c of narrowedTo(input, s)) takeFitting(index, c, prefs, s, QUIZ_DEPTH, pool);
  return pool;
}

function scoreQuiz(input: StrategyInput, s: ResolvedStrategy, prefs: Preferences, pool: Iterable<IndexedProduct>): Candidate[] {
  const prior = popularity(input.stats);
  const out: Candidate[] = [];
  for (const item of pool) {
    if (!fits(item, prefs, s.filterAttributes)) continue;
    const boost = quizBoost(item, prefs, s.filterAttributes);
    if (!boost.reason) continue;
    // Within what fits, what others liked ranks first; answers' tags and soft attributes nudge.
    out.push({ item, score: 0.5 * boost.score + 3 * prior(item.product.id), reason: boost.reason });
  }
  return out.sort(byScore);
}

const quizWith =
  (everything: boolean): Strategy =>
  (input, s) => {
    const prefs = preferencesOf(input.profile, input.config);
    if (!prefs.attributes.size && !prefs.tags.size) return [];
    return scoreQuiz(input, s, prefs, everything ? input.catalog.items : quizPool(input, s, prefs));
  };

/** What for-you knows about the visitor, each map normalized so its strongest entry is 1. */
interface Interests {
  prefs: Preferences;
  category: Map<string, number>;
  tag: Map<string, number>;
  related: Map<string, number>;
  viewed: Set<string>;
}

function interestsOf(input: StrategyInput, s: ResolvedStrategy): Interests | undefined {
  const { profile, catalog, now } = input;
  const prefs = preferencesOf(profile, input.config);
  // Interest per category and tag: the profile's decayed affinities, plus what the catalog knows about the
  // products the visitor viewed, carted and bought (so it works even when events carry no category or tags).
  const cat = new Map<string, number>();
  const tag = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [k, v] of Object.entries(profile?.affinities.category ?? {})) bump(cat, k.toLowerCase(), decayed(v, now));
  for (const [k, v] of Object.entries(profile?.affinities.tag ?? {})) bump(tag, k.toLowerCase(), decayed(v, now));
  const touched = [
    ...(profile?.recent ?? []).map((r) => [r.productId, 1] as const),
    ...(profile?.commerce.cart ?? []).map((c) => [c.productId, 3] as const),
    ...(profile?.commerce.purchased ?? []).map((id) => [id, 5] as const),
  ];
  for (const [id, w] of touched) {
    const item = catalog.byId.get(id);
    if (!item) continue;
    bump(cat, item.category, w);
    for (const t of item.tags) bump(tag, t, w);
  }
  if (!cat.size && !tag.size && !prefs.attributes.size && !prefs.tags.size) return undefined;
  const norm = (m: Map<string, number>) => {
    const max = Math.max(0, ...m.values()) || 1;
    for (const [k, v] of m) m.set(k, v / max);
  };
  norm(cat);
  norm(tag);
  // What shoppers bought and viewed together with the visitor's own products (brand lines, routines).
  const related = new Map<string, number>();
  for (const kind of ['bought', 'viewed'] as const)
    for (const seed of seedsOf(input, kind))
      for (const [id, n] of input.stats.together(kind, seed)) {
        if (n < s.minSupport) break; // partner lists are sorted by count: the rest are below support too
        bump(related, id, kind === 'bought' ? 2 * n : n);
      }
  norm(related);
  return { prefs, category: cat, tag, related, viewed: new Set((profile?.recent ?? []).map((r) => r.productId)) };
}

// How deep the lists are read for an interest of 1 (the visitor's strongest); weaker interests read less.
// The category term weighs most in the score (2×) and within a category tags and answers outweigh
// popularity, so category lists are read deep. On the benchmark's 5,000-product catalog, 60 kept 98% of the
// served top 8 and 120 kept 99.5%; tags deeper than 20 added nothing (bench/recs.ts reports the overlap).
const CATEGORY_DEPTH = 120;
const TAG_DEPTH = 20;

/** The products for-you scores: likely ones only, from the precomputed lists and the visitor's neighbours. */
function forYouPool(input: StrategyInput, s: ResolvedStrategy, k: Interests): Set<IndexedProduct> {
  const { catalog } = input;
  const index = candidateIndex(catalog, input.stats, input.now);
  const pool = new Set<IndexedProduct>();
  for (const id of k.related.keys()) {
    const item = catalog.byId.get(id);
    if (item) pool.add(item);
  }
  for (const id of k.viewed) {
    const item = catalog.byId.get(id);
    if (item) pool.add(item);
  }
  for (const [c, w] of k.category) takeFitting(index, c, k.prefs, s, Math.ceil(CATEGORY_DEPTH * w), pool);
  // A list narrowed to categories (by the request or the strategy's filters) must find products there even
  // when the visitor cares little for them.
  for (const c of narrowedTo(input, s)) takeFitting(index, c, k.prefs, s, CATEGORY_DEPTH, pool);
  for (const [t, w] of k.tag) take(index.tag(t), Math.ceil(TAG_DEPTH * w), pool);
  for (const item of quizPool(input, s, k.prefs)) pool.add(item);
  return pool;
}

function scoreForYou(input: StrategyInput, s: ResolvedStrategy, k: Interests, pool: Iterable<IndexedProduct>): Candidate[] {
  const prior = popularity(input.stats);
  const out: Candidate[] = [];
  // Hundreds of candidates share a handful of sentences: build each once (less garbage, fewer GC pauses).
  const sentences = new Map<string, string>();
  const said = (key: string, make: () => string) => sentences.get(key) ?? sentences.set(key, make()).get(key)!;
  for (const item of pool) {
    if (!fits(item, k.prefs, s.filterAttributes)) continue;
    const c = k.category.get(item.category) ?? 0;
    let t = 0;
    let topTag = '';
    let topValue = 0;
    for (const x of item.tags) {
      const v = k.tag.get(x) ?? 0;
      t += v;
      if (v > topValue) [topTag, topValue] = [x, v];
    }
    t /= Math.max(1, item.tags.size) / 2; // a product is not better for having many tags
    const q = quizBoost(item, k.prefs, s.filterAttributes);
    const r = k.related.get(item.product.id) ?? 0;
    const v = k.viewed.has(item.product.id) ? 1 : 0;
    const score = 2 * c + t + q.score + 1.5 * r + v + prior(item.product.id);
    if (score <= 1) continue;
    const reason =
      q.reason && q.score >= Math.max(2 * c, t, 1.5 * r)
        ? q.reason
        : 1.5 * r > Math.max(2 * c, t)
          ? 'Often bought with what you chose'
          : 2 * c >= t
            ? said(`c${item.category}`, () => `Because you have been looking at ${nameOf(input, item.category).toLowerCase()}`)
            : said(`t${topTag}`, () => `Because you like ${topTag.replace(/-/g, ' ')} products`);
    out.push({ item, score, reason });
  }
  return out.sort(byScore);
}

const forYouWith =
  (everything: boolean): Strategy =>
  (input, s) => {
    const k = interestsOf(input, s);
    if (!k) return [];
    return scoreForYou(input, s, k, everything ? input.catalog.items : forYouPool(input, s, k));
  };

export const forYou = forYouWith(false);
export const quiz = quizWith(false);
/**
 * The same strategies scoring every product: the reference the candidate lists are measured against (bench/recs.ts
 * and its speed test). Marked pure so the Worker's bundle, which never uses it, drops it.
 */
export const exhaustive = { 'for-you': /* @__PURE__ */ forYouWith(true), quiz: /* @__PURE__ */ quizWith(true) };
