// The strategies: pure functions from (catalog, profile, statistics, request) to scored candidates, each with
// the sentence a shopper reads. They may return few or none; the engine (recommend.ts) filters, caps and
// fills the list from the fallbacks.
import type { CompiledCatalog } from '../catalog/compile.js';
import type { RecStrategyType } from '../contract/config.js';
import { popularity } from './candidates.js';
import { forYou, quiz } from './personal.js';
import type { PairKind } from './stats.js';
import { byScore, nameOf, seedsOf, type Candidate, type Strategy, type StrategyInput } from './strategy-kit.js';

export { seedsOf, type Candidate, type StrategyInput } from './strategy-kit.js';

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

/** What a strategy reads beyond the top lists (always loaded): the partner lists of its seeds, by pair kind. */
export interface Needs {
  pairs: readonly PairKind[];
}
export type StrategyNeeds = Record<RecStrategyType, Needs>;

/**
 * The statistics each strategy needs, which a request loads before the strategies run (routes.ts): a table over
 * the strategy types, so a strategy added without its needs does not compile. strategies.test.ts checks that
 * each strategy reads exactly what it declares.
 */
export const NEEDS: StrategyNeeds = {
  'for-you': { pairs: ['viewed', 'bought'] },
  'viewed-together': { pairs: ['viewed'] },
  'bought-together': { pairs: ['bought'] },
  trending: { pairs: [] },
  'recently-viewed': { pairs: [] },
  quiz: { pairs: [] },
  popular: { pairs: [] },
};

/** The pair kinds a list needs: those of its strategy and of every fallback it may fill from. */
export const pairKindsOf = (types: Iterable<RecStrategyType>): Set<PairKind> => new Set([...types].flatMap((t) => NEEDS[t].pairs));
