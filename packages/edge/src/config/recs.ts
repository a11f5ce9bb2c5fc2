// The `recommendations` part of the config made ready to serve: every strategy name resolved to its type,
// options and fallback chain, and the checks a shape cannot express (fallbacks that exist and do not loop).
// It lives in config/ because validate.ts runs these checks; recs/ reads what it resolves (one way: config ← recs).
import { RECS_STRATEGY_TYPES, type AttuneConfig, type RecFilters, type RecStrategyType } from '../contract/config.js';
import { didYouMean, oneOf, show, type ConfigProblem } from './problems.js';
import { own } from '../contract/dict.js';

export const MAX_LIMIT = 50;
export const DEFAULT_MIN_SUPPORT = 2;

export interface ResolvedStrategy {
  name: string;
  type: RecStrategyType;
  limit: number;
  maxPerCategory: number | undefined;
  filters: Required<Pick<RecFilters, 'inStock' | 'excludePurchased' | 'excludeCart'>> & Omit<RecFilters, 'inStock' | 'excludePurchased' | 'excludeCart'>;
  minSupport: number;
  filterAttributes: string[];
  /** Names of the strategies that fill the list, in order, ending with "popular" */
  chain: string[];
}

/** Every strategy name `?strategy=` accepts: the configured ones and each built-in type under its own name. */
export function strategyNames(config: AttuneConfig): string[] {
  return [...new Set([...Object.keys(config.recommendations?.strategies ?? {}), ...RECS_STRATEGY_TYPES])];
}

/** `name` comes from the request (`?strategy=`): looked up by own keys, so `constructor` is no strategy. */
function raw(config: AttuneConfig, name: string) {
  const configured = own(config.recommendations?.strategies, name);
  if (configured) return configured;
  return (RECS_STRATEGY_TYPES as readonly string[]).includes(name) ? { type: name as RecStrategyType } : undefined;
}

/** The strategy `name` with defaults applied, or undefined when no strategy has that name. */
export function resolveStrategy(config: AttuneConfig, name: string): ResolvedStrategy | undefined {
  const s = raw(config, name);
  if (!s) return undefined;
  const d = config.recommendations?.defaults;
  const filters = { inStock: true, excludePurchased: true, excludeCart: true, ...d?.filters, ...s.filters };
  const chain: string[] = [];
  // Follow fallbacks; the validator refuses loops and unknown names, so the guard only protects against bugs.
  for (let next = s.fallback ?? (s.type === 'popular' ? undefined : 'popular'); next && !chain.includes(next) && next !== name; ) {
    chain.push(next);
    const n = raw(config, next);
    next = n?.fallback ?? (n?.type === 'popular' ? undefined : 'popular');
  }
  if (s.type !== 'popular' && !chain.includes('popular')) chain.push('popular');
  return {
    name,
    type: s.type,
    limit: s.limit ?? d?.limit ?? 8,
    maxPerCategory: s.maxPerCategory ?? d?.maxPerCategory,
    filters,
    minSupport: s.minSupport ?? DEFAULT_MIN_SUPPORT,
    filterAttributes: s.filterAttributes ?? ['skinType'],
    chain,
  };
}

/** Problems of the recommendations section that zod cannot see, each with its path. */
export function recommendationProblems(config: AttuneConfig): ConfigProblem[] {
  const recs = config.recommendations;
  if (!recs) return [];
  const problems: ConfigProblem[] = [];
  const names = strategyNames(config);
  const error = (path: string, message: string, found: unknown, expected: string) =>
    problems.push({ path, message, found: show(found), expected, severity: 'error' });
  const priceRange = (f: RecFilters | undefined, at: string) => {
    if (f?.minPrice !== undefined && f.maxPrice !== undefined && f.minPrice > f.maxPrice)
      error(`${at}.maxPrice`, 'is below minPrice', f.maxPrice, `a price ≥ ${f.minPrice}`);
  };
  priceRange(recs.defaults.filters, 'recommendations.defaults.filters');
  const attributes = new Set(config.quizzes.flatMap((q) => q.questions.flatMap((x) => x.answers.flatMap((a) => Object.keys(a.attributes)))));
  for (const [name, s] of Object.entries(recs.strategies)) {
    const at = `recommendations.strategies[${JSON.stringify(name)}]`;
    priceRange(s.filters, `${at}.filters`);
    if (s.fallback !== undefined && !names.includes(s.fallback)) {
      const hint = didYouMean(s.fallback, names);
      error(`${at}.fallback`, `unknown strategy${hint ? ` — did you mean "${hint}"?` : ''}`, s.fallback, oneOf(names));
    }
    // A loop would never fill a list: a → b → a.
    const trail = [name];
    for (let next = s.fallback; next && own(recs.strategies, next); next = own(recs.strategies, next)!.fallback) {
      if (trail.includes(next)) {
        error(`${at}.fallback`, `fallback loop: ${[...trail, next].join(' → ')}`, s.fallback, 'a chain that ends (every chain ends with "popular" anyway)');
        break;
      }
      trail.push(next);
    }
    for (const a of s.filterAttributes ?? [])
      if (config.quizzes.length && !attributes.has(a))
        problems.push({ path: `${at}.filterAttributes`, message: 'no quiz answer sets this attribute, so it never filters', found: show(a), expected: oneOf([...attributes]), severity: 'warning' });
  }
  return problems;
}
