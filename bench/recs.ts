// Recommendation quality and serving cost, with a fixed seed so runs compare.
// Synthetic shoppers with planted tastes — a hidden skin type, two favourite categories, loyalty to the
// brand lines they bought — browse, cart and order the demo catalog; some answer the skin quiz, some have
// no history at all (only the quiz). Training is their history through the real profile merge
// (applyEvent) and the real statistics increments; each shopper's last purchase is held out; each strategy's
// top 8 (as served: filters, diversity cap, fallbacks) is scored by hit-rate@8 and NDCG@8 against `popular`.
import { compileCatalog, type CompiledCatalog } from '../packages/edge/src/catalog/compile.js';
import type { Product } from '../packages/edge/src/contract/catalog.js';
import { configSchema, type AttuneConfig } from '../packages/edge/src/contract/config.js';
import type { Profile } from '../packages/edge/src/contract/profile.js';
import { applyEvent, emptyProfile, type AcceptedEvent } from '../packages/edge/src/profile/apply.js';
import { resolveStrategy } from '../packages/edge/src/recs/config.js';
import { recommend } from '../packages/edge/src/recs/recommend.js';
import { MemoryStats, type RecStats } from '../packages/edge/src/recs/stats.js';
import { STRATEGIES } from '../packages/edge/src/recs/strategies.js';
import demoConfig from '../demo-site/attune.config.json';
import { CATEGORIES, generateDemoCatalog, prng, SKIN_TYPES } from '../demo-site/scripts/catalog.js';

export interface RecsBenchOptions {
  shoppers?: number;
  seed?: number;
  /** share of shoppers with no history (only quiz answers, then the held-out purchase) */
  noHistory?: number;
  /** share of shoppers with history who answer the quiz */
  answerQuiz?: number;
  /** also measure serving time on a 5,000-product catalog */
  serving?: boolean;
}

interface Shopper {
  id: string;
  skin: string;
  likes: Set<string>;
  events: AcceptedEvent[];
  heldOut: string;
  lastBought?: string;
  history: boolean;
}

const K = 8;
const NOW = Date.UTC(2026, 3, 1);
const DAY = 86_400_000;

export function simulate(products: Product[], opts: Required<Pick<RecsBenchOptions, 'shoppers' | 'seed' | 'noHistory' | 'answerQuiz'>>): Shopper[] {
  const rnd = prng(opts.seed);
  const inStock = products.filter((p) => p.inStock);
  // Some products are simply more appealing to everyone: that is what `popular` can find.
  const appeal = new Map(products.map((p) => [p.id, 0.3 + rnd() ** 3 * 3]));
  const shoppers: Shopper[] = [];
  let msg = 0;
  for (let s = 0; s < opts.shoppers; s++) {
    const id = `shopper-${s}`;
    const skin = SKIN_TYPES[Math.floor(rnd() * SKIN_TYPES.length)]!;
    const cats = [...CATEGORIES].sort(() => rnd() - 0.5).slice(0, 2).map((c) => c.id as string);
    const likes = new Set(cats);
    const lines = new Map<string, number>();
    const weight = (p: Product) =>
      appeal.get(p.id)! *
      ((p.attributes.skinType as string[]).includes(skin) ? 6 : 0.3) *
      (likes.has(p.categories[0]!) ? 4 : 1) *
      (1 + 3 * (lines.get(p.attributes.line as string) ?? 0));
    const sample = (pool: Product[], exclude: Set<string>) => {
      let total = 0;
      for (const p of pool) if (!exclude.has(p.id)) total += weight(p);
      let r = rnd() * total;
      for (const p of pool) if (!exclude.has(p.id) && (r -= weight(p)) <= 0) return p;
      return pool.find((p) => !exclude.has(p.id))!;
    };
    const events: AcceptedEvent[] = [];
    let t = NOW - 60 * DAY + Math.floor(rnd() * 20 * DAY);
    const ev = (event: string, properties: Record<string, unknown>): AcceptedEvent => ({
      type: 'track',
      event,
      properties,
      messageId: `m${msg++}`,
      anonymousId: id,
      timestamp: new Date((t += 60_000 + Math.floor(rnd() * 600_000))).toISOString(),
      receivedAt: new Date(t).toISOString(),
    }) as AcceptedEvent;
    const item = (p: Product) => ({ product_id: p.id, name: p.name, category: p.categories[0], tags: p.tags, price: p.price });
    const history = rnd() >= opts.noHistory;
    if (!history || rnd() < opts.answerQuiz) events.push(ev('Question Answered', { quiz: 'skin', question: 'skin-type', answer: skin }));
    const bought = new Set<string>();
    let lastBought: string | undefined;
    if (history) {
      const sessions = 2 + Math.floor(rnd() * 4);
      for (let k = 0; k < sessions; k++) {
        const seen = new Set<string>();
        const viewed: Product[] = [];
        for (let v = 0, n = 3 + Math.floor(rnd() * 6); v < n; v++) {
          const p = sample(products, seen);
          seen.add(p.id);
          viewed.push(p);
          events.push(ev('Product Viewed', item(p)));
        }
        const cart = viewed.filter((p) => p.inStock && !bought.has(p.id)).slice(0, 1 + Math.floor(rnd() * 2));
        for (const p of cart) events.push(ev('Product Added', item(p)));
        if (cart.length && rnd() < 0.7) {
          events.push(ev('Order Completed', { order_id: `o${msg}`, products: cart.map(item) }));
          for (const p of cart) {
            bought.add(p.id);
            lines.set(p.attributes.line as string, (lines.get(p.attributes.line as string) ?? 0) + 1);
            lastBought = p.id;
          }
        }
        t += (2 + Math.floor(rnd() * 6)) * DAY;
      }
    }
    // The held-out purchase: what they buy next, by the same tastes.
    const heldOut = sample(inStock, bought).id;
    shoppers.push({ id, skin, likes, events, heldOut, ...(lastBought && { lastBought }), history });
  }
  return shoppers;
}

function train(shoppers: Shopper[]): { stats: MemoryStats; profiles: Map<string, Profile> } {
  const stats = new MemoryStats();
  const profiles = new Map<string, Profile>();
  for (const s of shoppers) {
    stats.add(s.events);
    const p = emptyProfile('demo', `a:${s.id}`, s.events[0]?.timestamp ?? new Date(NOW).toISOString());
    p.consent = { analytics: true, personalization: true, updatedAt: p.firstSeen };
    for (const e of s.events) applyEvent(p, e);
    profiles.set(s.id, p);
  }
  return { stats, profiles };
}

interface Score {
  hits: number;
  ndcg: number;
  n: number;
}
const score = (ids: string[], target: string, sc: Score) => {
  const rank = ids.indexOf(target);
  sc.n++;
  if (rank >= 0 && rank < K) {
    sc.hits++;
    sc.ndcg += 1 / Math.log2(rank + 2);
  }
};

export const EVALUATED = ['popular', 'trending', 'for-you', 'quiz', 'recently-viewed', 'viewed-together', 'bought-together'] as const;

export function evaluate(catalog: CompiledCatalog, config: AttuneConfig, shoppers: Shopper[], stats: RecStats, profiles: Map<string, Profile>) {
  const results = new Map<string, Score>();
  const get = (k: string) => results.get(k) ?? results.set(k, { hits: 0, ndcg: 0, n: 0 }).get(k)!;
  const bt = { shown: 0, hits: 0, seeds: 0, answered: 0 };
  const btStrategy = resolveStrategy(config, 'bought-together')!;
  for (const s of shoppers) {
    const profile = profiles.get(s.id)!;
    const group = s.history ? 'with history' : 'no history';
    for (const strategy of EVALUATED) {
      const r = recommend({ catalog, config, profile, stats, now: NOW, strategy, limit: K });
      score(r.items.map((i) => i.product.id), s.heldOut, get(`${strategy}|${group}`));
    }
    // Bought-together on its own (no fallback), seeded with the shopper's last purchase: how often are its
    // suggestions what they bought next?
    if (s.lastBought) {
      bt.seeds++;
      const list = STRATEGIES['bought-together']({ catalog, config, profile, stats, item: s.lastBought, now: NOW }, btStrategy)
        .filter((c) => c.item.product.inStock && !profile.commerce.purchased.includes(c.item.product.id))
        .slice(0, K);
      if (list.length) bt.answered++;
      bt.shown += list.length;
      if (list.some((c) => c.item.product.id === s.heldOut)) bt.hits++;
    }
  }
  return { results, boughtTogether: { precisionAt8: bt.shown ? bt.hits / bt.shown : 0, hitRate: bt.seeds ? bt.hits / bt.seeds : 0, coverage: bt.seeds ? bt.answered / bt.seeds : 0, seeds: bt.seeds } };
}

export type Row = Record<string, string | number>;

export function runRecsBenchmark(options: RecsBenchOptions = {}): Row[] {
  const opts = { shoppers: 3000, seed: 7, noHistory: 0.2, answerQuiz: 0.5, ...options };
  const config = configSchema.parse(demoConfig);
  const { products } = generateDemoCatalog();
  const catalog = compileCatalog({ products });
  const shoppers = simulate(products, opts);
  const { stats, profiles } = train(shoppers);
  const { results, boughtTogether } = evaluate(catalog, config, shoppers, stats, profiles);
  const rows: Row[] = [];
  for (const group of ['with history', 'no history']) {
    const base = results.get(`popular|${group}`)!;
    for (const strategy of EVALUATED) {
      const r = results.get(`${strategy}|${group}`)!;
      rows.push({
        bench: 'recs',
        scenario: `${strategy} (${group})`,
        shoppers: r.n,
        'hit@8': r.hits / r.n,
        'ndcg@8': r.ndcg / r.n,
        'x popular': base.hits ? r.hits / base.hits : 0,
      });
    }
  }
  rows.push({ bench: 'recs', scenario: 'bought-together alone, seeded with last purchase', shoppers: boughtTogether.seeds, 'precision@8': boughtTogether.precisionAt8, 'hit@8': boughtTogether.hitRate, coverage: boughtTogether.coverage });
  if (options.serving !== false) rows.push(...servingRows(opts.seed));
  return rows;
}

/** CPU time of one recommendation (catalog and statistics already in the isolate) with 5,000 products. */
export function servingRows(seed = 7): Row[] {
  const config = configSchema.parse(demoConfig);
  const { products } = generateDemoCatalog(seed, 625);
  const catalog = compileCatalog({ products });
  const shoppers = simulate(products, { shoppers: 2000, seed, noHistory: 0.1, answerQuiz: 0.5 });
  const { stats, profiles } = train(shoppers);
  const sample = shoppers.slice(0, 200);
  const rows: Row[] = [];
  for (const strategy of EVALUATED) {
    const times: number[] = [];
    for (let round = 0; round < 3; round++)
      for (const s of sample) {
        const t0 = performance.now();
        const item = s.lastBought;
        JSON.stringify(recommend({ catalog, config, profile: profiles.get(s.id)!, stats, item, now: NOW, strategy, limit: K }));
        if (round > 0) times.push(performance.now() - t0); // round 0 warms the JIT, as a busy isolate is
      }
    times.sort((a, b) => a - b);
    rows.push({ bench: 'recs-serving', scenario: `${strategy}, 5,000 products`, requests: times.length, 'p50 ms': times[times.length >> 1]!, 'p99 ms': times[Math.floor(times.length * 0.99)]! });
  }
  return rows;
}
