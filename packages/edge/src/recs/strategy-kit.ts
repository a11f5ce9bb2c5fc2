// What every strategy shares: its input, its output, the order of candidates and the seeds of item-to-item
// lookups. A module of its own so the strategy files can import it without importing each other.
import type { CompiledCatalog, IndexedProduct } from '../catalog/compile.js';
import type { AttuneConfig } from '../contract/config.js';
import type { Profile } from '../contract/profile.js';
import type { ResolvedStrategy } from '../config/recs.js';
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

export type Strategy = (input: StrategyInput, s: ResolvedStrategy) => Candidate[];

export const byScore = (a: Candidate, b: Candidate) => b.score - a.score || (a.item.product.id < b.item.product.id ? -1 : 1);
export const nameOf = (input: StrategyInput, category: string) => input.catalog.categoryNames.get(category) ?? category;

/** Seeds of an item-to-item strategy: the requested item, else what the visitor last looked at or bought. */
export function seedsOf(input: Pick<StrategyInput, 'item' | 'profile'>, kind: PairKind): string[] {
  if (input.item) return [input.item];
  const p = input.profile;
  if (!p) return [];
  const viewed = [...p.recent].reverse().map((r) => r.productId);
  const bought = [...p.commerce.cart.map((c) => c.productId), ...[...p.commerce.purchased].reverse()];
  return [...new Set(kind === 'viewed' ? [...viewed, ...bought] : [...bought, ...viewed])].slice(0, 3);
}
