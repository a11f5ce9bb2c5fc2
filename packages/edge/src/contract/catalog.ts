// The product catalog: what a feed (JSON or CSV, `attune catalog import`) holds and what recommendations
// return. One product shape everywhere: the feed, KV, the API and the widgets that render product cards.
import * as z from './zod.js';

export const productIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][\w.:-]{0,99}$/, 'is letters, digits, "-", "_", ".", ":" (at most 100), starting with a letter or digit'));

/** Attribute values a quiz answer can match: one value or several (a cream for dry and normal skin). */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const productSchema = z.strictObject({
  id: productIdSchema,
  name: z.string().check(z.trim(), z.minLength(1, 'is empty'), z.maxLength(200)),
  url: z.string().check(z.minLength(1, 'is empty'), z.describe('The product page, absolute or relative to the site.')),
  image: z.optional(z.string().check(z.minLength(1, 'is empty'))),
  price: z.number().check(z.nonnegative('is negative')),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'is a 3-letter ISO 4217 code such as EUR')),
  categories: z
    .array(z.string().check(z.trim(), z.minLength(1)))
    .check(z.minLength(1, 'needs at least one category'), z.describe('The first is the main one (diversity caps use it).')),
  tags: z._default(z.array(z.string().check(z.trim(), z.minLength(1))), []),
  attributes: z._default(z.record(z.string(), attributeValueSchema), {}).check(z.describe('e.g. {"skinType": ["dry", "normal"], "priceBand": "mid"}')),
  inStock: z._default(z.boolean(), true),
  launchedAt: z.optional(z.iso.date('is a date such as 2026-03-01')),
});

export const catalogSchema = z.strictObject({
  products: z.array(productSchema).check(z.maxLength(100_000, 'at most 100,000 products')),
});

export type Product = z.infer<typeof productSchema>;
export type ProductInput = z.input<typeof productSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** What a recommendation returns: the product card and why it was chosen. */
export interface Recommendation {
  product: Pick<Product, 'id' | 'name' | 'url' | 'image' | 'price' | 'currency' | 'categories'>;
  /** A sentence for the shopper, e.g. "Because you told us your skin is dry". */
  reason: string;
  /** The strategy that chose it (the requested one, or the fallback that filled the list). */
  strategy: string;
  score: number;
}

export interface RecommendationsResponse {
  strategy: string;
  items: Recommendation[];
  /** Strategies, in order, that filled the list when the requested one had too few. */
  fallbacks: string[];
}
