// Orders: rows (one per order, or one per order line) → one `Order Completed` per order id, attributed to the
// same userId scheme as customers (customer id, else the hashed email, else the hashed phone). Pure, apart
// from hashing. Lines of one order need not be adjacent in the file: orders are gathered, then sent.
import type { Flag } from '../ingest/clean.js';
import type { Outgoing, RowOptions, RowVerdict } from './import-customers.js';
import { whoOf } from './import-customers.js';
import { orderMessageId, userIdOf } from './import-ids.js';
import type { Mapping } from './import-mapping.js';
import { parseAmount, parseCurrency, parseDate, parseQuantity } from './import-values.js';

export interface OrderLine {
  line: number;
  orderId: string;
  userId: string;
  /** ISO time of the order, when the file has dates */
  at?: string;
  total?: number;
  currency?: string;
  sku?: string;
  quantity: number;
  price?: number;
  /** attributed by a phone number alone (no customer id, no valid email) */
  byPhone?: boolean;
}

const cell = (fields: string[], i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());

export function orderLine(line: number, fields: string[], m: Mapping, opts: RowOptions & { currency?: string | undefined }): RowVerdict<OrderLine> {
  const orderId = cell(fields, m.order_id);
  if (!orderId) return { ok: false, reason: 'order id is empty' };
  const flags: Flag[] = [];
  const who = whoOf(fields, m, opts, {}, flags);
  const userId = userIdOf(who);
  if (!userId) return { ok: false, reason: 'no customer id, valid email or phone to attribute the order to' };
  const out: OrderLine = { line, orderId, userId, quantity: 1, ...(!who.customerId && !who.email ? { byPhone: true } : {}) };
  if (m.order_date !== undefined) {
    const raw = cell(fields, m.order_date);
    if (!raw) return { ok: false, reason: 'order date is empty' };
    const d = parseDate(raw, opts.dateOrder);
    if (!d.ok) return { ok: false, reason: `order date: ${d.reason}` };
    out.at = d.value.iso;
  }
  for (const [field, key] of [['total', 'total'], ['price', 'price']] as const) {
    const raw = cell(fields, m[field]);
    if (!raw) continue;
    const a = parseAmount(raw);
    if (!a.ok) return { ok: false, reason: `${field}: ${a.reason}` };
    out[key] = a.value;
  }
  if (out.total === undefined && out.price === undefined) return { ok: false, reason: 'no amount: total (or price) is empty' };
  const q = parseQuantity(cell(fields, m.quantity));
  if (!q.ok) return { ok: false, reason: q.reason };
  out.quantity = q.value;
  const cur = cell(fields, m.currency) || opts.currency;
  if (cur) {
    const c = parseCurrency(cur);
    if (!c.ok) return { ok: false, reason: c.reason };
    out.currency = c.value;
  }
  const sku = cell(fields, m.sku);
  if (sku) out.sku = sku;
  return { ok: true, value: out, flags };
}

interface Order {
  line: number;
  rows: number;
  userId: string;
  at?: string | undefined;
  currency?: string | undefined;
  /** the order total as the first line gives it, and whether other lines gave others */
  total?: number | undefined;
  totalSum: number;
  totalsDiffer: boolean;
  lineSum: number;
  products: { product_id: string; quantity: number; price?: number }[];
}

/**
 * Gathers lines by order id. A total repeated on every line of an order counts once; totals that differ
 * between lines of one order are line amounts and are added up; without totals, price × quantity.
 */
export class OrderBook {
  private orders = new Map<string, Order>();

  /** Adds a line; refuses one that contradicts its order's earlier lines (another customer, another currency). */
  add(l: OrderLine): { ok: true } | { ok: false; reason: string } {
    const o = this.orders.get(l.orderId);
    if (!o) {
      this.orders.set(l.orderId, {
        line: l.line,
        rows: 1,
        userId: l.userId,
        at: l.at,
        currency: l.currency,
        total: l.total,
        totalSum: l.total ?? 0,
        totalsDiffer: false,
        lineSum: (l.price ?? 0) * l.quantity,
        products: l.sku ? [{ product_id: l.sku, quantity: l.quantity, ...(l.price !== undefined ? { price: l.price } : {}) }] : [],
      });
      return { ok: true };
    }
    if (o.userId !== l.userId) return { ok: false, reason: `order ${l.orderId} belongs to another customer on line ${o.line}` };
    if (l.currency && o.currency && l.currency !== o.currency) return { ok: false, reason: `order ${l.orderId} is in ${o.currency} on line ${o.line}, ${l.currency} here` };
    o.rows++;
    o.currency ??= l.currency;
    if (l.at && (!o.at || l.at < o.at)) o.at = l.at;
    if (l.total !== undefined) {
      if (o.total === undefined) o.total = l.total;
      else if (l.total !== o.total) o.totalsDiffer = true;
      o.totalSum += l.total;
    }
    o.lineSum += (l.price ?? 0) * l.quantity;
    if (l.sku) o.products.push({ product_id: l.sku, quantity: l.quantity, ...(l.price !== undefined ? { price: l.price } : {}) });
    return { ok: true };
  }

  get size() {
    return this.orders.size;
  }

  /** The events, in the order orders first appear in the file. Consumes the book. */
  *events(library: { name: string; version: string }): Generator<Outgoing & { revenue: number }> {
    for (const [orderId, o] of this.orders) {
      const total = Math.round((o.total === undefined ? o.lineSum : o.totalsDiffer ? o.totalSum : o.total) * 100) / 100;
      const properties: Record<string, unknown> = { order_id: orderId, total, revenue: total, ...(o.currency ? { currency: o.currency } : {}), products: o.products };
      const event = { type: 'track', event: 'Order Completed', messageId: orderMessageId(orderId), userId: o.userId, ...(o.at ? { timestamp: o.at } : {}), properties, context: { library } };
      yield { event, line: o.line, rows: o.rows, revenue: total };
    }
    this.orders.clear();
  }
}
