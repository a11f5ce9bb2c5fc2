// The demo store's pages as the build writes them (demo-site/scripts/pages.mjs into a temporary dist/site):
// a page per product and per category, each with the one script tag and the consent banner first, and
// every link of the header and footer resolving to a file the Worker serves. No Worker, no browser: fast.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages, loadCatalog } from '../../../../demo-site/scripts/pages.mjs';

const demo = fileURLToPath(new URL('../../../../demo-site/', import.meta.url));
const LOADER = '<script async src="/attune.js" data-write-key="demo"></script>';
let out = '';
let written: string[] = [];
let products: Awaited<ReturnType<typeof loadCatalog>> = [];
const page = (path: string) => readFileSync(join(out, path), 'utf8');
const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

/** Where wrangler's asset handling (auto-trailing-slash) finds a URL path: `/a/b` → a/b.html or a/b/index.html. */
function resolves(href: string) {
  const path = decodeURIComponent(new URL(href, 'http://x').pathname).replace(/^\//, '');
  if (path === '') return existsSync(join(out, 'index.html'));
  return [path, `${path}.html`, `${path}/index.html`].some((p) => existsSync(join(out, p)) && !p.endsWith('/'));
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'attune-store-'));
  cpSync(join(demo, 'public'), out, { recursive: true });
  products = await loadCatalog();
  written = await buildPages(out, products);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('demo store pages', () => {
  it('has a page per product with its name, price, the add-to-cart hook and both recommendation rows', () => {
    expect(products.length).toBe(200);
    for (const p of products) {
      const html = page(`products/${p.id}.html`);
      const name = p.name.replace(/&/g, '&amp;');
      expect(html, p.id).toContain(`<h1 class="pdp__name">${name}</h1>`);
      expect(html, p.id).toContain(money.format(p.price));
      expect(html, p.id).toMatch(/<button[^>]*data-add-to-cart[^>]*data-id="[^"]+"/);
      expect(html, p.id).toContain(`<attune-recs class="recs-row" strategy="pdp-viewed" limit="4" heading="Shoppers also viewed" item="${p.id}">`);
      expect(html, p.id).toContain(`strategy="pdp-bought" limit="4" heading="Often bought together" item="${p.id}"`);
    }
  });

  it('has a page per catalog category with a card per product', () => {
    const categories = [...new Set(products.flatMap((p) => p.categories))];
    expect(categories.length).toBe(8);
    for (const c of categories) {
      const html = page(`c/${c}.html`);
      expect(html.match(/data-product-card/g)?.length, c).toBe(products.filter((p) => p.categories.includes(c)).length);
      expect(html, c).toContain(`strategy="category-trending" limit="4" heading="Trending in `);
      expect(html, c).toContain(`category="${c}"`);
    }
  });

  it('puts the script tag in every head and the consent banner first in every body', () => {
    const pages = written.filter((f) => f.endsWith('.html'));
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'quiz.html', 'search.html', 'cart.html', 'checkout.html', 'order/confirmed.html', 'account.html']));
    for (const f of pages) {
      const html = page(f);
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head, f).toContain("}(window,'attune')</script>");
      expect(head, f).toContain(LOADER);
      expect(html, f).toMatch(/<body[^>]*>\s*<attune-consent><\/attune-consent>/);
      expect(html, f).toContain('data-cart-count');
    }
  });

  it('has the hooks the journeys use', () => {
    const home = page('index.html');
    for (const s of ['<attune-slot name="hero"', '<attune-slot name="promo-bar"', 'strategy="home-for-you"', '<attune-quiz id="skin"', 'action="/search"', 'name="q"', 'href="/account"', 'href="/quiz"'])
      expect(home).toContain(s);
    expect(page('quiz.html')).toContain('<attune-quiz id="skin"');
    expect(page('checkout.html')).toMatch(/<form id="checkout-form"[\s\S]*name="email"[\s\S]*name="name"[\s\S]*data-place-order/);
    expect(page('order/confirmed.html')).toContain('<attune-survey id="nps"');
    expect(page('account.html')).toMatch(/<form id="signin-form"[\s\S]*name="email"/);
    const catalog = JSON.parse(page('catalog.json'));
    expect(catalog.products).toHaveLength(products.length);
  });

  it('links only to pages and files that exist (header, footer, body; the hero variants of the config too)', () => {
    const hrefs = new Set<string>();
    for (const f of ['index.html', 'c/serums.html', `products/${products[0]!.id}.html`, 'cart.html', 'account.html'])
      for (const m of page(f).matchAll(/(?:href|src)="(\/[^"]*)"/g)) hrefs.add(m[1]!);
    const config = JSON.parse(readFileSync(join(demo, 'attune.config.json'), 'utf8'));
    for (const s of config.slots) for (const v of [s.default, ...s.variants.map((x: { content: unknown }) => x.content)]) {
      if (v.image) hrefs.add(v.image);
      if (v.cta?.href) hrefs.add(v.cta.href);
    }
    const generated = new Set(['/attune.js']); // the bundles are copied in by scripts/build.mjs
    const missing = [...hrefs].filter((h) => !generated.has(h) && !resolves(h));
    expect(missing).toEqual([]);
    expect(hrefs.size).toBeGreaterThan(20);
  });
});
