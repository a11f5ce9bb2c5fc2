// A catalog made ready for serving, once per version per isolate: products by id and by category, with the
// lower-cased tags and attribute values strategies match against, so a request does lookups, not parsing.
import type { Catalog, Product } from '../contract/catalog.js';
import { FNV_OFFSET, FNV_PRIME, fnv1a32, hex32 } from '../hash/fast.js';

export interface IndexedProduct {
  product: Product;
  /** main category (the first), lower-cased: affinities and diversity caps use it */
  category: string;
  categories: string[];
  tags: Set<string>;
  /** attribute → lower-cased values (a single value becomes a one-element set) */
  attributes: Map<string, Set<string>>;
  /** launch time in ms, 0 when unknown */
  launched: number;
}

export interface CompiledCatalog {
  version: string;
  items: IndexedProduct[];
  byId: ReadonlyMap<string, IndexedProduct>;
  byCategory: ReadonlyMap<string, IndexedProduct[]>;
  categoryNames: ReadonlyMap<string, string>;
}

const lower = (s: string) => s.trim().toLowerCase();

/** FNV-1a over the products' JSON, twice (the second lane with basis and prime swapped): the same feed gives the same version everywhere. */
export function catalogVersion(catalog: Catalog): string {
  const s = JSON.stringify(catalog.products);
  return hex32(fnv1a32(s)) + hex32(fnv1a32(s, FNV_PRIME, FNV_OFFSET));
}

export function compileCatalog(catalog: Catalog, version = catalogVersion(catalog)): CompiledCatalog {
  const byId = new Map<string, IndexedProduct>();
  const byCategory = new Map<string, IndexedProduct[]>();
  const categoryNames = new Map<string, string>();
  const items = catalog.products.map((product) => {
    const attributes = new Map<string, Set<string>>();
    for (const [k, v] of Object.entries(product.attributes)) attributes.set(k, new Set((Array.isArray(v) ? v : [v]).map((x) => lower(String(x)))));
    const categories = product.categories.map(lower);
    const item: IndexedProduct = {
      product,
      category: categories[0]!,
      categories,
      tags: new Set(product.tags.map(lower)),
      attributes,
      launched: product.launchedAt ? Date.parse(product.launchedAt) : 0,
    };
    byId.set(product.id, item);
    product.categories.forEach((c, i) => {
      if (!categoryNames.has(categories[i]!)) categoryNames.set(categories[i]!, c);
      const list = byCategory.get(categories[i]!) ?? [];
      list.push(item);
      byCategory.set(categories[i]!, list);
    });
    return item;
  });
  return { version, items, byId, byCategory, categoryNames };
}
