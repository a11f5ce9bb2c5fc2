import { describe, expect, it } from 'vitest';
import { compileCatalog } from '../catalog/compile.js';
import type { Product } from '../contract/catalog.js';
import { buildCandidateIndex, candidateIndex, priorOf, REBUILD_MS } from './candidates.js';
import { EMPTY_STATS, type RecStats } from './stats.js';

const product = (id: string, category: string, tags: string[], attributes: Product['attributes'], launchedAt = '2025-01-01'): Product => ({
  id, name: id, url: `/p/${id}`, price: 10, currency: 'EUR', categories: [category], tags, attributes, inStock: true, launchedAt,
});
const catalog = compileCatalog({
  products: [
    product('a', 'Serums', ['hydrating'], { skinType: ['dry'] }),
    product('b', 'Serums', ['hydrating', 'calming'], { skinType: ['oily', 'dry'] }),
    product('c', 'Serums', ['calming'], {}),
    product('d', 'Masks', ['hydrating'], { skinType: 'dry' }, '2026-01-01'),
    product('e', 'Masks', [], { skinType: 'oily' }, '2024-01-01'),
  ],
});
const popular = new Map([['a', 1], ['b', 50], ['c', 9]]);
const ids = (list: readonly { product: { id: string } }[] | undefined) => list?.map((i) => i.product.id);

describe('buildCandidateIndex', () => {
  const index = buildCandidateIndex(catalog, priorOf(popular), 2);

  it('orders by popularity, then the untouched newest first', () => {
    expect(ids(index.order)).toEqual(['b', 'c', 'a', 'd', 'e']);
  });

  it("keeps each category's, tag's and attribute value's most popular products, up to the depth", () => {
    expect(ids(index.category('serums'))).toEqual(['b', 'c']);
    expect(ids(index.tag('hydrating'))).toEqual(['b', 'a']);
    expect(ids(index.attribute('skinType', 'dry'))).toEqual(['b', 'a']);
    expect(ids(index.categoryAttribute('masks', 'skintype', 'dry'))).toBeUndefined();
    expect(ids(index.categoryAttribute('masks', 'skinType', 'dry'))).toEqual(['d']);
    expect(index.tag('unknown')).toBeUndefined();
  });

  it("lists the products without an attribute under '', since hard filters let them through", () => {
    expect(ids(index.attribute('skinType', ''))).toEqual(['c']);
    expect(ids(index.categoryAttribute('serums', 'skinType', ''))).toEqual(['c']);
    expect(index.categoryAttribute('masks', 'skinType', '')).toBeUndefined();
  });
});

describe('candidateIndex', () => {
  const stats = (counts: [string, number][]): RecStats => ({ ...EMPTY_STATS, popular: new Map(counts) });

  it('keeps serving one snapshot for REBUILD_MS, then rebuilds from the newer statistics', () => {
    const t = Date.UTC(2026, 0, 1);
    const first = candidateIndex(catalog, stats([['e', 5]]), t);
    expect(ids(first.order)?.[0]).toBe('e');
    const newer = stats([['d', 5]]);
    expect(candidateIndex(catalog, newer, t + REBUILD_MS - 1)).toBe(first);
    const rebuilt = candidateIndex(catalog, newer, t + REBUILD_MS);
    expect(ids(rebuilt.order)?.[0]).toBe('d');
    expect(candidateIndex(catalog, newer, t)).toBe(rebuilt); // same snapshot: no rebuild, whatever the clock says
  });
});
