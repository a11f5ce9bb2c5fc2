// Commerce facts and affinities from the Segment e-commerce events (Product Viewed/Added/Removed,
// Order Completed). Pure; called by applyEvent.
import type { CartItem, Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import { own } from '../contract/dict.js';

type Props = Record<string, unknown>;
type Score = { score: number; at: string };

const WEIGHTS = { view: 1, add: 3, order: 5 } as const;
const DAY = 86_400_000;

const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(+v) ? +v : undefined);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Factor by which an affinity fades over `ms`. */
export const decay = (ms: number) => 2 ** (-ms / (PROFILE_BOUNDS.affinityHalfLifeDays * DAY));

/** Adds two decayed scores: commutative, so the order events arrive in does not matter. */
export function addScore(a: Score | undefined, b: Score): Score {
  if (!a) return { ...b };
  const [late, early] = a.at >= b.at ? [a, b] : [b, a];
  const ms = Date.parse(late.at) - Date.parse(early.at);
  return { score: late.score + early.score * decay(ms), at: late.at };
}

function product(p: Props) {
  const productId = str(p.product_id) ?? str(p.sku) ?? str(p.id);
  const tags = Array.isArray(p.tags) ? p.tags.filter((t): t is string => typeof t === 'string') : [];
  return { productId, name: str(p.name), category: str(p.category), price: num(p.price), quantity: num(p.quantity) ?? 1, tags };
}

function addAffinity(prof: Profile, item: ReturnType<typeof product>, weight: number, at: string) {
  if (item.category) {
    const k = item.category.toLowerCase();
    prof.affinities.category[k] = addScore(own(prof.affinities.category, k), { score: weight, at });
  }
  for (const t of item.tags) {
    const k = t.toLowerCase();
    prof.affinities.tag[k] = addScore(own(prof.affinities.tag, k), { score: weight, at });
  }
}

const cartValue = (cart: CartItem[]) => round2(cart.reduce((s, i) => s + (i.price ?? 0) * i.quantity, 0));

export function applyCommerce(prof: Profile, event: string, props: Props, at: string): void {
  const c = prof.commerce;
  const item = product(props);
  switch (event) {
    case 'Product Viewed':
      addAffinity(prof, item, WEIGHTS.view, at);
      if (item.productId) {
        const r = prof.recent.filter((x) => x.productId !== item.productId);
        r.push({ productId: item.productId, ...(item.name ? { name: item.name } : {}), ...(item.category ? { category: item.category } : {}), at });
        r.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        prof.recent = r.slice(-PROFILE_BOUNDS.recent);
      }
      break;
    case 'Product Added': {
      addAffinity(prof, item, WEIGHTS.add, at);
      if (!item.productId) break;
      const line = c.cart.find((x) => x.productId === item.productId);
      if (line) line.quantity += item.quantity;
      else
        c.cart.push({
          productId: item.productId,
          quantity: item.quantity,
          ...(item.price !== undefined ? { price: item.price } : {}),
          ...(item.name ? { name: item.name } : {}),
          ...(item.category ? { category: item.category } : {}),
        });
      c.cartValue = cartValue(c.cart);
      c.cartUpdatedAt = at;
      break;
    }
    case 'Product Removed': {
      if (!item.productId) break;
      const line = c.cart.find((x) => x.productId === item.productId);
      if (line) line.quantity -= item.quantity;
      c.cart = c.cart.filter((x) => x.quantity > 0);
      c.cartValue = cartValue(c.cart);
      c.cartUpdatedAt = at;
      break;
    }
    case 'Order Completed': {
      const products = Array.isArray(props.products) ? (props.products as unknown[]).filter((x): x is Props => !!x && typeof x === 'object') : [];
      const items = products.map(product);
      const revenue = num(props.revenue) ?? num(props.total) ?? items.reduce((s, i) => s + (i.price ?? 0) * i.quantity, 0);
      c.orders += 1;
      c.revenue = round2(c.revenue + revenue);
      c.averageOrderValue = round2(c.revenue / c.orders);
      if (!c.lastOrder || c.lastOrder.at <= at) {
        const orderId = str(props.order_id);
        c.lastOrder = { ...(orderId ? { orderId } : {}), revenue: round2(revenue), at };
      }
      for (const i of items) {
        addAffinity(prof, i, WEIGHTS.order, at);
        if (i.productId && !c.purchased.includes(i.productId)) c.purchased.push(i.productId);
      }
      c.purchased = c.purchased.slice(-PROFILE_BOUNDS.purchased);
      // What was bought leaves the cart; a cart changed after the order stays as it is.
      if (!c.cartUpdatedAt || c.cartUpdatedAt <= at) {
        const bought = new Set(items.map((i) => i.productId));
        c.cart = items.length ? c.cart.filter((x) => !bought.has(x.productId)) : [];
        c.cartValue = cartValue(c.cart);
        c.cartUpdatedAt = at;
      }
      break;
    }
  }
}
