// Orders: rows (one per order, or one per order line) → one `Order Completed` per order id, attributed to the
// same userId scheme as customers (customer id, else the hashed email, else the hashed phone). Pure, apart
// from hashing (WebCrypto, so async: done per order, when the events are made). Lines of one order need not be adjacent in the file: orders are gathered, then sent.
import type { Flag } from '../ingest/clean.js';
import type { Outgoing, RowOptions, RowVerdict } from './import-customers.js';
import { whoOf } from './import-customers.js';
import { namingId, orderMessageId, userIdOf, type NamingId } from './import-ids.js';
import type { Mapping } from './import-mapping.js';
import { parseAmount, parseCurrency, parseDate, parseQuantity } from './import-values.js';

export interface OrderLine {
  line: number;
  orderId: string;
  /** whom the order is attributed to: the id that becomes its userId (hashed when an email or phone) */
  by: NamingId;
  /** ISO time of the order, when the file has dates */
  at?: string;
  total?: number;
  currency?: string;
  sku?: string;
  quantity: number;
  price?: number;
}

const cell = (fields: string[], i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());

export function orderLine(line: number, fields: string[], m: Mapping, opts: RowOptions & { currency?: string | undefined }): RowVerdict<OrderLine> {
  const orderId = cell(fields, m.order_id);
  if (!orderId) return { ok: false, reason: 'order id is empty' };
  const flags: Flag[] = [];
  const who = whoOf(fields, m, opts, {}, flags);
  const by = namingId(who);
  if (!by) return { ok: false, reason: 'no customer id, valid email or phone to attribute the order to' };
  const out: OrderLine = { line, orderId, by, quantity: 1 };
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
  by: NamingId;
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
        by: l.by,
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
    if (o.by.kind !== l.by.kind || o.by.value !== l.by.value) return { ok: false, reason: `order ${l.orderId} belongs to another customer on line ${o.line}` };
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

  /** The events, in the order orders first appear in the file; `parallel` orders' ids are hashed at once. Consumes the book. */
  async *events(library: { name: string; version: string }, parallel = 64): AsyncGenerator<Outgoing & { revenue: number }> {
    const orders = [...this.orders];
    this.orders.clear();
    for (let i = 0; i < orders.length; i += parallel) {
      const part = orders.slice(i, i + parallel);
      const ids = await Promise.all(part.map(async ([orderId, o]) => ({ messageId: await orderMessageId(orderId), userId: await userIdOf(o.by) })));
      for (const [j, [orderId, o]] of part.entries()) {
        const total = Math.round((o.total === undefined ? o.lineSum : o.totalsDiffer ? o.totalSum : o.total) * 100) / 100;
        const properties: Record<string, unknown> = { order_id: orderId, total, revenue: total, ...(o.currency ? { currency: o.currency } : {}), products: o.products };
        const event = { type: 'track', event: 'Order Completed', ...ids[j]!, ...(o.at ? { timestamp: o.at } : {}), properties, context: { library } };
        yield { event, line: o.line, rows: o.rows, revenue: total };
      }
    }
  }
}
