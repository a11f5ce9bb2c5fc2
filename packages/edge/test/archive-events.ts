// Demo-like accepted events for the archive's tests and measurements: a skincare store's visits (page views,
// product views, carts, orders, identifies, quiz answers) spread over one UTC day, from a fixed seed.
import type { AcceptedEvent } from '../src/contract/events.js';
import { seededRandom as random } from '../src/stats/random.js';

const PRODUCTS = [
  ['hydra-serum', 'Hydra Serum', 'serums', 34],
  ['calm-cream', 'Calm Cream', 'moisturizers', 28],
  ['clear-gel', 'Clear Gel Cleanser', 'cleansers', 19],
  ['sun-shield', 'Sun Shield SPF 50', 'sunscreen', 24],
  ['night-oil', 'Night Repair Oil', 'oils', 42],
  ['rose-toner', 'Rose Toner', 'toners', 17],
] as const;
const PAGES = ['/', '/shop', '/quiz', '/blog/routine', '/cart'];
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

export interface DayOptions {
  day: string;
  events: number;
  seed?: number;
  /** one visitor per this many events, on average */
  eventsPerVisitor?: number;
}

/** `events` accepted events of `day` (UTC), in no particular order, each with a unique message id. */
export function demoDay({ day, events, seed = 1, eventsPerVisitor = 12 }: DayOptions): AcceptedEvent[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const visitors = Math.max(1, Math.round(events / eventsPerVisitor));
  const out: AcceptedEvent[] = [];
  for (let i = 0; i < events; i++) {
    const v = Math.floor(rnd() * visitors);
    const at = start + Math.floor(rnd() * 86_399_000);
    const received = at + Math.floor(rnd() * 2000);
    const path = pick(PAGES);
    const [sku, name, category, price] = pick(PRODUCTS);
    const base = {
      messageId: `${day}-${seed}-${i.toString(36)}`,
      anonymousId: `anon-${seed}-${v.toString(36)}`,
      ...(v % 5 === 0 ? { userId: `cust-${v}` } : {}),
      timestamp: new Date(at).toISOString(),
      receivedAt: new Date(received).toISOString(),
      sentAt: new Date(received - 40).toISOString(),
      context: {
        page: { path, url: `https://shop.example${path}`, referrer: i % 7 ? '' : 'https://www.google.com/', title: 'Glow — skincare' },
        locale: pick(['en-US', 'de-DE', 'fr-FR']),
        userAgent: UA,
        library: { name: 'attune.js', version: '0.1.0' },
        consent: { analytics: true, personalization: rnd() < 0.8 },
        ...(i % 9 === 0 ? { campaign: { name: 'spring', source: 'newsletter', medium: 'email' } } : {}),
      },
    };
    const r = rnd();
    let e: Record<string, unknown>;
    if (r < 0.45) e = { ...base, type: 'page', name: null, properties: { path, title: 'Glow — skincare' } };
    else if (r < 0.75) e = { ...base, type: 'track', event: 'Product Viewed', properties: { product_id: sku, name, category, price, currency: 'EUR' } };
    else if (r < 0.87) e = { ...base, type: 'track', event: 'Product Added', properties: { product_id: sku, name, category, price, quantity: 1 } };
    else if (r < 0.93)
      e = { ...base, type: 'track', event: 'Order Completed', properties: { order_id: `o-${i}`, revenue: price * 2, currency: 'EUR', products: [{ product_id: sku, price, quantity: 2 }] } };
    else if (r < 0.97) e = { ...base, type: 'identify', traits: { skin_type: pick(['dry', 'oily', 'sensitive']), newsletter: rnd() < 0.5 } };
    else e = { ...base, type: 'track', event: 'Question Answered', properties: { question: 'skin-type', answer: pick(['dry', 'oily']) } };
    out.push(e as unknown as AcceptedEvent);
  }
  return out;
}
