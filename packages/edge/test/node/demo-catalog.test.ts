// The committed demo catalog is what the generator produces, so the demo works offline and stays reproducible.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDemoCatalog } from '../../../../demo-site/scripts/catalog.js';
import { parseFeed } from '../../src/catalog/feed.js';

const site = fileURLToPath(new URL('../../../../demo-site/', import.meta.url));

describe('demo catalog', () => {
  const generated = generateDemoCatalog();

  it('is committed as generated (run node demo-site/scripts/generate-catalog.mjs after changing the generator)', () => {
    const committed = JSON.parse(readFileSync(`${site}catalog/products.json`, 'utf8'));
    expect(committed).toEqual({ products: generated.products });
    const files = readdirSync(`${site}public/img/products`).filter((f) => f.endsWith('.svg')).sort();
    expect(files).toEqual([...generated.images.keys()].sort());
    for (const [name, svg] of generated.images) expect(readFileSync(`${site}public/img/products/${name}`, 'utf8'), name).toBe(svg);
  });

  it('is a valid feed of ~200 products covering every category, skin type and price band', () => {
    const r = parseFeed(readFileSync(`${site}catalog/products.json`, 'utf8'), 'json');
    expect(r.ok).toBe(true);
    const products = generated.products;
    expect(products).toHaveLength(200);
    expect(new Set(products.flatMap((p) => p.categories)).size).toBe(8);
    expect(new Set(products.flatMap((p) => p.attributes.skinType as string[]))).toEqual(new Set(['dry', 'oily', 'combination', 'sensitive', 'normal']));
    expect(new Set(products.map((p) => p.attributes.priceBand))).toEqual(new Set(['low', 'mid', 'high']));
    expect(Math.max(...[...generated.images.values()].map((s) => s.length))).toBeLessThan(1024);
  });
});
