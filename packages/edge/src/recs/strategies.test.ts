// A request loads the statistics its strategies declare in NEEDS (routes.ts) and nothing else: a strategy that
// reads partner lists it did not declare would find them empty, silently. So each strategy is run here against
// statistics that note what is read, with a visitor and a page that give every strategy something to work on.
import { describe, expect, it } from 'vitest';
import { compileCatalog } from '../catalog/compile.js';
import type { Product } from '../contract/catalog.js';
import { configSchema, RECS_STRATEGY_TYPES, type RecStrategyType } from '../contract/config.js';
import { emptyProfile } from '../profile/apply.js';
import { resolveStrategy } from '../config/recs.js';
import type { PairKind, RecStats } from './stats.js';
import { NEEDS, pairKindsOf, STRATEGIES, type StrategyNeeds } from './strategies.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const at = new Date(NOW - 3_600_000).toISOString();
const product = (id: string, category: string, tags: string[], skinType: string): Product => ({
  id, name: id, url: `/p/${id}`, price: 10, currency: 'EUR', categories: [category], tags, attributes: { skinType }, inStock: true, launchedAt: '2026-01-01',
});
const catalog = compileCatalog({
  products: [
    product('p1', 'Serums', ['hydrating'], 'dry'),
    product('p2', 'Serums', ['calming'], 'dry'),
    product('p3', 'Masks', ['hydrating'], 'dry'),
    product('p4', 'Masks', ['calming'], 'oily'),
    product('p5', 'Cleansers', ['hydrating'], 'dry'),
  ],
});
const config = configSchema.parse({
  sites: { demo: { writeKey: 'demo' } },
  quizzes: [{ id: 'skin', title: 'Skin', questions: [{ id: 'skin-type', text: 'Your skin?', answers: [{ id: 'dry', label: 'Dry', attributes: { skinType: 'dry' }, tags: ['hydrating'] }] }] }],
});
const profile = emptyProfile('demo', 'a:v1', at);
profile.recent = [{ productId: 'p1', at }];
profile.commerce.cart = [{ productId: 'p2', quantity: 1, price: 10 }];
profile.commerce.purchased = ['p3'];
profile.answers = { 'skin-type': { value: 'dry', quiz: 'skin', at } };
profile.affinities.category = { serums: { score: 3, at } };

/** Statistics where everything pairs with everything, noting which kinds of partner list were read. */
function noting(read: Set<PairKind>): RecStats {
  const all = new Map(catalog.items.map((i, n) => [i.product.id, 10 - n]));
  return {
    popular: all,
    trending: all,
    together: (kind, item) => (read.add(kind), catalog.items.filter((i) => i.product.id !== item).map((i) => [i.product.id, 9] as [string, number])),
  };
}

describe('strategies and the statistics they need', () => {
  it.each(RECS_STRATEGY_TYPES)('%s reads exactly the pair statistics NEEDS declares', (type) => {
    const read = new Set<PairKind>();
    const s = resolveStrategy(config, type)!;
    for (const item of [undefined, 'p4']) STRATEGIES[type]({ catalog, config, profile, stats: noting(read), item, now: NOW }, s);
    expect([...read].sort()).toEqual([...NEEDS[type].pairs].sort());
  });

  it('a list needs the pairs of its strategy and of every fallback', () => {
    expect([...pairKindsOf(['viewed-together', 'popular'])]).toEqual(['viewed']);
    expect([...pairKindsOf(['bought-together', 'for-you'])].sort()).toEqual(['bought', 'viewed']);
    expect([...pairKindsOf(['quiz', 'trending', 'recently-viewed', 'popular'])]).toEqual([]);
  });

  it('does not compile a strategy without its needs (npm run typecheck checks these lines)', () => {
    const { quiz: _, ...rest } = NEEDS;
    // @ts-expect-error Property 'quiz' is missing: a strategy type without its needs does not compile
    const partial: StrategyNeeds = rest;
    // @ts-expect-error Object literal may only specify known properties: needs of a strategy type that does not exist
    const extra: StrategyNeeds = { ...NEEDS, 'also-viewed': { pairs: ['viewed'] } };
    const types: RecStrategyType[] = Object.keys(partial) as RecStrategyType[];
    expect(types).not.toContain('quiz');
    expect(Object.keys(extra)).toContain('also-viewed');
  });
});
