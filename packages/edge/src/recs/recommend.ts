// The engine: runs a strategy, then its fallbacks until the list is full, applying the filters (stock,
// already bought or in the cart, category, price), a per-category cap for variety, and the limit. Pure.
import type { IndexedProduct } from '../catalog/compile.js';
import type { Recommendation, RecommendationsResponse } from '../contract/catalog.js';
import { resolveStrategy, type ResolvedStrategy } from '../config/recs.js';
import type { RecStrategyType } from '../contract/config.js';
import { STRATEGIES, type StrategyInput } from './strategies.js';
import type { Strategy } from './strategy-kit.js';

export interface RecommendRequest extends StrategyInput {
  strategy: string;
  limit?: number | undefined;
}

/** Which implementation runs each strategy type. */
export type StrategyTable = Readonly<Record<RecStrategyType, Strategy>>;

function admits(s: ResolvedStrategy, input: StrategyInput): (item: IndexedProduct) => boolean {
  const f = s.filters;
  const excluded = new Set<string>(input.item ? [input.item] : []);
  if (f.excludePurchased) for (const id of input.profile?.commerce.purchased ?? []) excluded.add(id);
  if (f.excludeCart) for (const c of input.profile?.commerce.cart ?? []) excluded.add(c.productId);
  const categories = f.categories?.map((c) => c.toLowerCase());
  return (item) => {
    const p = item.product;
    if (excluded.has(p.id)) return false;
    if (f.inStock && !p.inStock) return false;
    if (categories && !categories.some((c) => item.categories.includes(c))) return false;
    if (input.category && !item.categories.includes(input.category)) return false;
    if (f.minPrice !== undefined && p.price < f.minPrice) return false;
    if (f.maxPrice !== undefined && p.price > f.maxPrice) return false;
    return true;
  };
}

/**
 * Recommendations for one request. Throws only for an unknown strategy name (the route checks first).
 * @param strategies the implementations; the Worker uses the built-in ones, the recs bench and its speed test
 *   also run the score-everything references (recs/personal.ts `exhaustive`) to measure the candidate lists
 */
export function recommend(req: RecommendRequest, strategies: StrategyTable = STRATEGIES): RecommendationsResponse {
  const main = resolveStrategy(req.config, req.strategy);
  if (!main) throw new Error(`unknown strategy "${req.strategy}"`);
  const limit = req.limit ?? main.limit;
  const items: Recommendation[] = [];
  const taken = new Set<string>();
  const perCategory = new Map<string, number>();
  // A request for one category makes a per-category cap meaningless: it would cut the list short.
  const cap = req.category ? undefined : main.maxPerCategory;
  const fallbacks: string[] = [];
  // The requested strategy's filters hold for the whole list: a fallback fills it, it does not widen it.
  const ok = admits(main, req);
  for (const name of [main.name, ...main.chain]) {
    if (items.length >= limit) break;
    const s = name === main.name ? main : resolveStrategy(req.config, name);
    if (!s) continue;
    const before = items.length;
    for (const c of strategies[s.type](req, s)) {
      if (items.length >= limit) break;
      const id = c.item.product.id;
      if (taken.has(id) || !ok(c.item)) continue;
      const n = perCategory.get(c.item.category) ?? 0;
      if (cap !== undefined && n >= cap) continue;
      perCategory.set(c.item.category, n + 1);
      taken.add(id);
      const { id: pid, name: pname, url, image, price, currency, categories } = c.item.product;
      items.push({ product: { id: pid, name: pname, url, ...(image && { image }), price, currency, categories }, reason: c.reason, strategy: s.name, score: Math.round(c.score * 1000) / 1000 });
    }
    if (name !== main.name && items.length > before) fallbacks.push(name);
  }
  return { strategy: main.name, items, fallbacks };
}
