// Recommendation statistics as pure, incremental updates: events → signals → increments of item popularity,
// time-decayed trend, and item-to-item co-occurrence (viewed together, bought together). Each profile's writer
// derives its batch's increments (recIncrements) and the D1 store (recs/store.ts) adds them with atomic upserts;
// the benchmark adds them in memory. Same code.

export type SignalKind = 'view' | 'cart' | 'order';

export interface Signal {
  /** the shopper: `u:<userId>` when known, else `a:<anonymousId>` */
  visitor: string;
  productId: string;
  kind: SignalKind;
  /** ms since the epoch */
  at: number;
  /** the event it came from; an order's products share it */
  messageId: string;
}

export const WEIGHTS: Record<SignalKind, number> = { view: 1, cart: 3, order: 5 };
const DAY = 86_400_000;
/** Two products viewed by one shopper within this window count as viewed together. */
export const VIEW_WINDOW_MS = 3 * DAY;
export const TREND_HALF_LIFE_DAYS = 7;
/**
 * Trend scores are stored as weight × 2^((t − epoch) / half-life): adding them is then a plain sum, and the
 * ranking at any later time is the ranking of the stored numbers (decaying all by the same factor keeps the
 * order). Doubles hold this until about 2045 (2^1000); rebasing the epoch then is one UPDATE.
 */
export const TREND_EPOCH = Date.UTC(2026, 0, 1);

export const trendWeight = (weight: number, at: number) => weight * 2 ** ((at - TREND_EPOCH) / (TREND_HALF_LIFE_DAYS * DAY));
/** A stored trend score as of `now` (for display and for comparing to a threshold). */
export const trendAt = (stored: number, now: number) => stored * 2 ** (-(now - TREND_EPOCH) / (TREND_HALF_LIFE_DAYS * DAY));

type Props = Record<string, unknown>;
const idOf = (p: Props | undefined): string | undefined => {
  const v = p?.product_id ?? p?.sku ?? p?.id;
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
};

/** The shapes of AcceptedEvent this needs (kept loose so the benchmark can feed plain objects). */
export interface EventLike {
  type: string;
  event?: string;
  messageId: string;
  anonymousId?: string | null;
  userId?: string | null;
  timestamp: string;
  properties?: Props;
}

export function visitorOf(e: { userId?: string | null; anonymousId?: string | null }): string | undefined {
  return e.userId ? `u:${e.userId}` : e.anonymousId ? `a:${e.anonymousId}` : undefined;
}

/** The product signals of events (Segment e-commerce spec names); everything else is ignored. */
export function signalsOf(events: readonly EventLike[]): Signal[] {
  const out: Signal[] = [];
  for (const e of events) {
    if (e.type !== 'track') continue;
    const visitor = visitorOf(e);
    const at = Date.parse(e.timestamp);
    if (!visitor || Number.isNaN(at)) continue;
    const base = { visitor, at, messageId: e.messageId };
    if (e.event === 'Product Viewed' || e.event === 'Product Added') {
      const productId = idOf(e.properties);
      if (productId) out.push({ ...base, productId, kind: e.event === 'Product Viewed' ? 'view' : 'cart' });
    } else if (e.event === 'Order Completed') {
      const products = Array.isArray(e.properties?.products) ? (e.properties.products as Props[]) : [];
      for (const id of new Set(products.map(idOf).filter((x): x is string => !!x))) out.push({ ...base, productId: id, kind: 'order' });
    }
  }
  return out;
}

export interface ItemDelta {
  popular: number;
  trend: number;
}

/** Popularity (weighted count) and trend increments per product. */
export function itemIncrements(signals: readonly Signal[]): Map<string, ItemDelta> {
  const out = new Map<string, ItemDelta>();
  for (const s of signals) {
    const d = out.get(s.productId) ?? { popular: 0, trend: 0 };
    d.popular += WEIGHTS[s.kind];
    d.trend += trendWeight(WEIGHTS[s.kind], s.at);
    out.set(s.productId, d);
  }
  return out;
}

export type PairKind = 'viewed' | 'bought';
/** `["kind","a","b"]` → increment; both directions are listed so a lookup by `a` finds every partner. */
export type PairDelta = Map<string, number>;
/** JSON, not `kind|a|b`: a product id is data, and one holding a `|` split into other products' pairs. */
export const pairKey = (kind: PairKind, a: string, b: string) => JSON.stringify([kind, a, b]);
export const pairOf = (key: string) => JSON.parse(key) as [PairKind, string, string];

/**
 * Co-occurrence increments for `fresh` signals, given each shopper's earlier signals (`history`: the
 * profile's, historyOfProfile). A pair counts once per shopper and occasion: a product viewed again inside the window, or
 * bought again, adds nothing, so one enthusiastic shopper cannot make a pair look popular.
 *  - viewed together: both viewed by the shopper within VIEW_WINDOW_MS;
 *  - bought together: in the same order, or the shopper bought the other one in an earlier order.
 */
export function pairIncrements(history: readonly Signal[], fresh: readonly Signal[]): PairDelta {
  const out: PairDelta = new Map();
  const add = (kind: PairKind, a: string, b: string) => {
    if (a === b) return;
    for (const k of [pairKey(kind, a, b), pairKey(kind, b, a)]) out.set(k, (out.get(k) ?? 0) + 1);
  };
  const seen = new Map<string, Signal[]>();
  for (const s of history) (seen.get(s.visitor) ?? seen.set(s.visitor, []).get(s.visitor)!).push(s);
  const ordered = [...fresh].sort((a, b) => a.at - b.at || a.messageId.localeCompare(b.messageId));
  // Orders arrive as one signal per product with one messageId: handle each order as a whole.
  for (let i = 0; i < ordered.length; i++) {
    const s = ordered[i]!;
    const past = seen.get(s.visitor) ?? [];
    if (s.kind === 'view') {
      const recent = new Set(past.filter((p) => p.kind === 'view' && p.at <= s.at && s.at - p.at <= VIEW_WINDOW_MS).map((p) => p.productId));
      if (!recent.has(s.productId)) for (const p of recent) add('viewed', s.productId, p);
    } else if (s.kind === 'order') {
      const order = [s];
      while (ordered[i + 1]?.kind === 'order' && ordered[i + 1]!.messageId === s.messageId) order.push(ordered[++i]!);
      const before = new Set(past.filter((p) => p.kind === 'order' && p.at <= s.at).map((p) => p.productId));
      const fresh = order.map((o) => o.productId).filter((id) => !before.has(id));
      fresh.forEach((a, j) => fresh.slice(j + 1).forEach((b) => add('bought', a, b)));
      for (const a of fresh) for (const b of before) add('bought', a, b);
      past.push(...order.slice(1));
    }
    past.push(s);
    seen.set(s.visitor, past);
  }
  return out;
}

/** What one profile's batch adds to the statistics, as rows for the D1 upserts (recs/store.ts). */
export interface RecIncrements {
  items: [item: string, popular: number, trend: number][];
  pairs: [kind: PairKind, a: string, b: string, n: number][];
}

/**
 * A shopper's earlier signals as their profile holds them: the recently viewed products (the last
 * PROFILE_BOUNDS.recent, each at its latest view) and every product bought (no time: all count as before).
 * The profile's writer has them at hand, so no event-log query runs per shopper on ingest.
 */
export function historyOfProfile(p: { id: string; recent: readonly { productId: string; at: string }[]; commerce: { purchased: readonly string[] } }): Signal[] {
  const base = { visitor: p.id, messageId: '' };
  return [
    ...p.recent.map((r) => ({ ...base, productId: r.productId, kind: 'view' as const, at: Date.parse(r.at) })),
    ...p.commerce.purchased.map((productId) => ({ ...base, productId, kind: 'order' as const, at: 0 })),
  ];
}

/** The increments of a profile's new events, given its history: the shopper is the profile, whatever id each event carried. */
export function recIncrements(profileId: string, history: readonly Signal[], events: readonly EventLike[]): RecIncrements {
  const signals = signalsOf(events).map((s) => ({ ...s, visitor: profileId }));
  return {
    items: [...itemIncrements(signals)].map(([id, d]) => [id, d.popular, d.trend]),
    pairs: [...pairIncrements(history, signals)].map(([key, n]) => [...pairOf(key), n]),
  };
}

/** What strategies read. Partner lists are sorted by count, highest first. */
export interface RecStats {
  popular: ReadonlyMap<string, number>;
  /** stored trend scores (see TREND_EPOCH): compare them, or `trendAt` them to now */
  trending: ReadonlyMap<string, number>;
  together(kind: PairKind, item: string): readonly (readonly [string, number])[];
}

export const EMPTY_STATS: RecStats = { popular: new Map(), trending: new Map(), together: () => [] };

/**
 * Statistics in memory (tests, the benchmark): the same increment functions as the D1 store. Its history is
 * every signal it was given; a profile's writer has the profile's last 20 views and its purchases.
 */
export class MemoryStats implements RecStats {
  popular = new Map<string, number>();
  trending = new Map<string, number>();
  private pairs = new Map<string, Map<string, number>>();
  private history = new Map<string, Signal[]>();
  private sorted = new Map<string, (readonly [string, number])[]>();

  add(events: readonly EventLike[]): this {
    const signals = signalsOf(events);
    for (const [id, d] of itemIncrements(signals)) {
      this.popular.set(id, (this.popular.get(id) ?? 0) + d.popular);
      this.trending.set(id, (this.trending.get(id) ?? 0) + d.trend);
    }
    const visitors = new Set(signals.map((s) => s.visitor));
    for (const [key, n] of pairIncrements([...visitors].flatMap((v) => this.history.get(v) ?? []), signals)) {
      const [kind, a, b] = pairOf(key);
      const m = this.pairs.get(`${kind}|${a}`) ?? new Map<string, number>();
      m.set(b, (m.get(b) ?? 0) + n);
      this.pairs.set(`${kind}|${a}`, m);
    }
    for (const s of signals) (this.history.get(s.visitor) ?? this.history.set(s.visitor, []).get(s.visitor)!).push(s);
    this.sorted.clear();
    return this;
  }

  together(kind: PairKind, item: string) {
    const k = `${kind}|${item}`;
    let list = this.sorted.get(k);
    if (!list) {
      list = [...(this.pairs.get(k) ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      this.sorted.set(k, list);
    }
    return list;
  }
}
