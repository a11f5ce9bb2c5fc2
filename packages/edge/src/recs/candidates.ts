// Candidate lists, so personal strategies score a few hundred likely products instead of the whole catalog.
// Built once per (catalog, statistics) snapshot — a catalog version lives until the next import, the
// statistics until their one-minute refresh (stats-read.ts) — and held in WeakMaps keyed by those snapshots, so
// the isolate drops them with the snapshot. Per request, a strategy only reads list prefixes.
import type { CompiledCatalog, IndexedProduct } from '../catalog/compile.js';
import type { RecStats } from './stats.js';

/** How many products each list keeps: the deepest prefix any request reads (see personal.ts). */
export const LIST_DEPTH = 120;

/**
 * Lists by category, by tag, by attribute value, and by category narrowed to one attribute value, each its
 * keys' most popular products first, at most LIST_DEPTH. The value '' lists the products without the
 * attribute (hard filters let those through: they suit everyone). undefined: the catalog has no such list.
 */
export interface CandidateIndex {
  /** every product, most popular first; products nobody touched yet follow, newest first */
  order: readonly IndexedProduct[];
  category(c: string): readonly IndexedProduct[] | undefined;
  tag(t: string): readonly IndexedProduct[] | undefined;
  attribute(a: string, v: string): readonly IndexedProduct[] | undefined;
  categoryAttribute(c: string, a: string, v: string): readonly IndexedProduct[] | undefined;
}

/**
 * Which lists each product belongs to, as list numbers: fixed for a catalog version, so it is worked out
 * once per version, and a statistics refresh only re-deals the products into the lists in the new order.
 */
interface Layout {
  lists: number;
  /** per product (in catalog.items order), the numbers of its lists */
  member: Int32Array[];
  category: Map<string, number>;
  tag: Map<string, number>;
  attribute: Map<string, Map<string, number>>;
  categoryAttribute: Map<string, Map<string, Map<string, number>>>;
}

function sub<V>(m: Map<string, V>, k: string, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

function layoutOf(catalog: CompiledCatalog): Layout {
  const l: Layout = { lists: 0, member: [], category: new Map(), tag: new Map(), attribute: new Map(), categoryAttribute: new Map() };
  const slot = (m: Map<string, number>, k: string) => sub(m, k, () => l.lists++);
  const names = new Set<string>();
  for (const item of catalog.items) for (const a of item.attributes.keys()) names.add(a);
  for (const item of catalog.items) {
    const mine: number[] = [];
    for (const c of item.categories) mine.push(slot(l.category, c));
    for (const t of item.tags) mine.push(slot(l.tag, t));
    for (const a of names)
      for (const v of item.attributes.get(a) ?? ['']) {
        mine.push(slot(sub(l.attribute, a, () => new Map()), v));
        for (const c of item.categories) mine.push(slot(sub(sub(l.categoryAttribute, c, () => new Map()), a, () => new Map()), v));
      }
    l.member.push(Int32Array.from(new Set(mine)));
  }
  return l;
}

const layouts = new WeakMap<CompiledCatalog, Layout>();

/** log-scaled popularity in [0, 1]: a tie-breaker that prefers what others liked. */
export function priorOf(popular: ReadonlyMap<string, number>): (id: string) => number {
  let max = 0;
  for (const v of popular.values()) if (v > max) max = v;
  const denom = Math.log1p(max) || 1;
  return (id) => Math.log1p(popular.get(id) ?? 0) / denom;
}

const priors = new WeakMap<ReadonlyMap<string, number>, (id: string) => number>();
/** The prior of a statistics snapshot, computed once per snapshot (it scans every count for the maximum). */
export function popularity(stats: RecStats): (id: string) => number {
  let fn = priors.get(stats.popular);
  if (!fn) priors.set(stats.popular, (fn = priorOf(stats.popular)));
  return fn;
}

/**
 * Pure: the lists of `catalog` ordered by `prior`. One sort of the catalog, then one pass that deals each
 * product into its lists until they are full — so every list is its keys' top `depth`.
 */
export function buildCandidateIndex(catalog: CompiledCatalog, prior: (id: string) => number, depth = LIST_DEPTH): CandidateIndex {
  let layout = layouts.get(catalog);
  if (!layout) layouts.set(catalog, (layout = layoutOf(catalog)));
  const items = catalog.items;
  const p = Float64Array.from(items, (item) => prior(item.product.id));
  const ranked = Array.from(items.keys());
  ranked.sort((a, b) => p[b]! - p[a]! || items[b]!.launched - items[a]!.launched || (items[a]!.product.id < items[b]!.product.id ? -1 : 1));
  const lists: IndexedProduct[][] = Array.from({ length: layout.lists }, () => []);
  for (const i of ranked)
    for (const n of layout.member[i]!) {
      const list = lists[n]!;
      if (list.length < depth) list.push(items[i]!);
    }
  const at = (n: number | undefined) => (n === undefined ? undefined : lists[n]);
  const { category, tag, attribute, categoryAttribute } = layout;
  return {
    order: ranked.map((i) => items[i]!),
    category: (c) => at(category.get(c)),
    tag: (t) => at(tag.get(t)),
    attribute: (a, v) => at(attribute.get(a)?.get(v)),
    categoryAttribute: (c, a, v) => at(categoryAttribute.get(c)?.get(a)?.get(v)),
  };
}

/**
 * How long an index serves before a newer statistics snapshot rebuilds it. The lists only choose what gets
 * scored (scores use the fresh counts); popularity ranks move slowly, and a rebuild costs a few ms of one
 * request, so it is not worth paying at every one-minute statistics refresh.
 */
export const REBUILD_MS = 15 * 60_000;
const indexes = new WeakMap<CompiledCatalog, { index: CandidateIndex; from: ReadonlyMap<string, number>; at: number }>();

/** The index of this catalog, from this statistics snapshot or one at most REBUILD_MS older than `now`. */
export function candidateIndex(catalog: CompiledCatalog, stats: RecStats, now: number): CandidateIndex {
  const hit = indexes.get(catalog);
  if (hit && (hit.from === stats.popular || (now >= hit.at && now - hit.at < REBUILD_MS))) return hit.index;
  const index = buildCandidateIndex(catalog, popularity(stats));
  indexes.set(catalog, { index, from: stats.popular, at: now });
  return index;
}

/** Adds the first `n` products of `list` to `pool` (none when the catalog has no such list). */
export function take(list: readonly IndexedProduct[] | undefined, n: number, pool: Set<IndexedProduct>): void {
  if (!list) return;
  for (let i = 0; i < n && i < list.length; i++) pool.add(list[i]!);
}
