// The strategies: pure functions from (catalog, profile, statistics, request) to scored candidates, each with
// the sentence a shopper reads. They may return few or none; the engine (recommend.ts) filters, caps and
// fills the list from the fallbacks.
import type { CompiledCatalog, IndexedProduct } from '../catalog/compile.js';
import type { AttuneConfig, RecStrategyType } from '../contract/config.js';
import type { Profile } from '../contract/profile.js';
import { decayed } from '../segments/evaluate.js';
import type { ResolvedStrategy } from './config.js';
import type { PairKind, RecStats } from './stats.js';

export interface Candidate {
  item: IndexedProduct;
  score: number;
  reason: string;
}

export interface StrategyInput {
  catalog: CompiledCatalog;
  config: AttuneConfig;
  profile: Profile | null;
  stats: RecStats;
  /** the product the page is about (viewed-together, bought-together) */
  item?: string | undefined;
  /** the category the request narrows to, lower-cased */
  category?: string | undefined;
  now: number;
}

type Strategy = (input: StrategyInput, s: ResolvedStrategy) => Candidate[];

const byScore = (a: Candidate, b: Candidate) => b.score - a.score || (a.item.product.id < b.item.product.id ? -1 : 1);
const words = (camel: string) => camel.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const nameOf = (input: StrategyInput, category: string) => input.catalog.categoryNames.get(category) ?? category;

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

/** Whether a product passes the hard attribute filters (a product without the attribute suits everyone). */
function fits(item: IndexedProduct, prefs: Preferences, filterAttributes: string[]): boolean {
  for (const attr of filterAttributes) {
    const want = prefs.attributes.get(attr);
    const has = item.attributes.get(attr);
    if (want && has && ![...want.values].some((v) => has.has(v))) return false;
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
    if (!has || ![...want.values].some((v) => has.has(v))) continue;
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

/** log-scaled popularity in [0, 1]: a tie-breaker that prefers what others liked. */
const priors = new WeakMap<ReadonlyMap<string, number>, (id: string) => number>();
function popularity(stats: RecStats): (id: string) => number {
  const cached = priors.get(stats.popular);
  if (cached) return cached;
  const fn = prior(stats);
  priors.set(stats.popular, fn);
  return fn;
}
function prior(stats: RecStats): (id: string) => number {
  let max = 0;
  for (const v of stats.popular.values()) if (v > max) max = v;
  const denom = Math.log1p(max) || 1;
  return (id) => Math.log1p(stats.popular.get(id) ?? 0) / denom;
}

// Sorting 5,000 products per request would cost ~1 ms: the order is kept per (statistics, catalog) snapshot.
const popularOrder = new WeakMap<ReadonlyMap<string, number>, WeakMap<CompiledCatalog, Candidate[]>>();
const popular: Strategy = (input) => {
  if (input.category) return popularIn(input);
  let byCatalog = popularOrder.get(input.stats.popular);
  if (!byCatalog) popularOrder.set(input.stats.popular, (byCatalog = new WeakMap()));
  let list = byCatalog.get(input.catalog);
  if (!list) byCatalog.set(input.catalog, (list = popularIn(input)));
  return list;
};
const popularIn = (input: StrategyInput): Candidate[] => {
  const { catalog, stats } = input;
  const pool = input.category ? (catalog.byCategory.get(input.category) ?? []) : catalog.items;
  const where = input.category ? ` in ${nameOf(input, input.category)}` : '';
  const prior = popularity(stats);
  // Products nobody has touched yet still rank, newest first, so a fresh store's list is never empty.
  return pool
    .map((item) => {
      const p = prior(item.product.id);
      return { item, score: p > 0 ? 1 + p : item.launched / 1e13, reason: p > 0 ? `Popular${where} with our shoppers` : `New${where}` };
    })
    .sort(byScore);
};

// The trending order is kept per statistics snapshot (refreshed every minute), not sorted per request.
const trendOrder = new WeakMap<ReadonlyMap<string, number>, WeakMap<CompiledCatalog, Candidate[]>>();
const trending: Strategy = (input, s) => {
  if (input.category) return trendingIn(input, s);
  let byCatalog = trendOrder.get(input.stats.trending);
  if (!byCatalog) trendOrder.set(input.stats.trending, (byCatalog = new WeakMap()));
  let list = byCatalog.get(input.catalog);
  if (!list) byCatalog.set(input.catalog, (list = trendingIn(input, s)));
  return list;
};
const trendingIn: Strategy = (input) => {
  const order = [...input.stats.trending].sort((a, b) => b[1] - a[1]);
  const out: Candidate[] = [];
  for (const [id, score] of order) {
    const item = input.catalog.byId.get(id);
    if (!item || (input.category && !item.categories.includes(input.category))) continue;
    out.push({ item, score, reason: input.category ? `Trending in ${nameOf(input, input.category)}` : 'Trending now' });
  }
  return out;
};

const recentlyViewed: Strategy = (input) => {
  const recent = input.profile?.recent ?? [];
  const out: Candidate[] = [];
  recent.forEach((r, i) => {
    const item = input.catalog.byId.get(r.productId);
    if (item && r.productId !== input.item) out.push({ item, score: i + 1, reason: 'You looked at this recently' });
  });
  return out.sort(byScore);
};

const quiz: Strategy = (input, s) => {
  const prefs = preferencesOf(input.profile, input.config);
  if (!prefs.attributes.size && !prefs.tags.size) return [];
  const prior = popularity(input.stats);
  const out: Candidate[] = [];
  for (const item of input.catalog.items) {
    if (!fits(item, prefs, s.filterAttributes)) continue;
    const boost = quizBoost(item, prefs, s.filterAttributes);
    if (!boost.reason) continue;
    // Within what fits, what others liked ranks first; answers' tags and soft attributes nudge.
    out.push({ item, score: 0.5 * boost.score + 3 * prior(item.product.id), reason: boost.reason });
  }
  return out.sort(byScore);
};

const forYou: Strategy = (input, s) => {
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
  if (!cat.size && !tag.size && !prefs.attributes.size && !prefs.tags.size) return [];
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
      for (const [id, n] of input.stats.together(kind, seed)) if (n >= s.minSupport) bump(related, id, kind === 'bought' ? 2 * n : n);
  norm(related);
  const viewed = new Set((profile?.recent ?? []).map((r) => r.productId));
  const prior = popularity(input.stats);
  const out: Candidate[] = [];
  for (const item of catalog.items) {
    if (!fits(item, prefs, s.filterAttributes)) continue;
    const c = cat.get(item.category) ?? 0;
    let t = 0;
    let topTag = '';
    for (const x of item.tags) {
      const v = tag.get(x) ?? 0;
      t += v;
      if (v > (tag.get(topTag) ?? 0)) topTag = x;
    }
    t /= Math.max(1, item.tags.size) / 2; // a product is not better for having many tags
    const q = quizBoost(item, prefs, s.filterAttributes);
    const r = related.get(item.product.id) ?? 0;
    const v = viewed.has(item.product.id) ? 1 : 0;
    const score = 2 * c + t + q.score + 1.5 * r + v + prior(item.product.id);
    if (score <= 1) continue;
    const reason =
      q.reason && q.score >= Math.max(2 * c, t, 1.5 * r)
        ? q.reason
        : 1.5 * r > Math.max(2 * c, t)
          ? 'Often bought with what you chose'
          : 2 * c >= t
          ? `Because you have been looking at ${nameOf(input, item.category).toLowerCase()}`
          : `Because you like ${topTag.replace(/-/g, ' ')} products`;
    out.push({ item, score, reason });
  }
  return out.sort(byScore);
};

/** Seeds of an item-to-item strategy: the requested item, else what the visitor last looked at or bought. */
export function seedsOf(input: Pick<StrategyInput, 'item' | 'profile'>, kind: PairKind): string[] {
  if (input.item) return [input.item];
  const p = input.profile;
  if (!p) return [];
  const viewed = [...p.recent].reverse().map((r) => r.productId);
  const bought = [...p.commerce.cart.map((c) => c.productId), ...[...p.commerce.purchased].reverse()];
  return [...new Set(kind === 'viewed' ? [...viewed, ...bought] : [...bought, ...viewed])].slice(0, 3);
}

const together =
  (kind: PairKind): Strategy =>
  (input, s) => {
    const scores = new Map<string, Candidate>();
    for (const [rank, seed] of seedsOf(input, kind).entries()) {
      const seedItem = input.catalog.byId.get(seed);
      const seedName = seedItem?.product.name ?? seed;
      for (const [id, n] of input.stats.together(kind, seed)) {
        if (n < s.minSupport) break; // sorted by count: the rest are below support too
        const item = input.catalog.byId.get(id);
        if (!item) continue;
        const score = n / (rank + 1);
        const had = scores.get(id);
        if (had) had.score += score;
        else scores.set(id, { item, score, reason: kind === 'bought' ? `Often bought with ${seedName}` : `Shoppers who viewed ${seedName} also viewed this` });
      }
    }
    return [...scores.values()].sort(byScore);
  };

export const STRATEGIES: Record<RecStrategyType, Strategy> = {
  'for-you': forYou,
  'viewed-together': together('viewed'),
  'bought-together': together('bought'),
  trending,
  'recently-viewed': recentlyViewed,
  quiz,
  popular,
};
