// Edge-rendered <attune-slot> and <attune-recs>: the widgets take over what the edge sent without
// re-rendering it (same nodes, no mutations, no layout shift), send exposures only once the content is
// actually seen, and send clicks with position and strategy — all through window.attune.
import { describe, expect, it } from 'vitest';
import { recsMarkup, slotMarkup } from '@attune/edge/contract/markup';
import { cls, sleep, tracked, useBrowser, widgetsReady } from './harness.js';

const h = useBrowser();

/** Markup as the browser serializes it (e.g. `data-attune=""`), to compare with innerHTML. */
const serialized = (page: import('playwright-core').Page, html: string) =>
  page.evaluate((x) => Object.assign(document.createElement('template'), { innerHTML: x }).innerHTML, html);

const decision = {
  variant: 'hero-dry',
  content: { title: 'Deep hydration for dry skin', text: 'Rich creams, picked for you.', image: '/img/hero-dry.svg', cta: { label: 'Shop now', href: '/c/dry' } },
  reason: { kind: 'experiment' as const, detail: 'arm b' },
  exposure: { experiment_id: 'hero-test', variant_id: 'b' },
};
const products = [1, 2, 3, 4].map((n) => ({ product: { id: `p${n}`, name: `Cream ${n}`, url: `/p/p${n}`, image: `/img/p${n}.svg`, price: 10 + n, currency: 'EUR' }, reason: 'Because your skin is dry' }));

/** Records the nodes the edge sent and every later change inside the widgets, before the bundle runs. */
const WATCH = `
  window.__nodes = [...document.querySelectorAll('attune-slot *, attune-recs *')];
  window.__mutations = 0;
  new MutationObserver((m) => { window.__mutations += m.length; })
    .observe(document.querySelector('main'), { subtree: true, childList: true, attributes: true, characterData: true });
`;
// A short hero, so slot and list both fit the 700 px viewport; the spacer pushes them below the fold.
const edgePage = (spacer = 0) =>
  `<style>attune-slot{--attune-image-ratio:6/1}</style><div style="height:${spacer}px"></div>` +
  `<attune-slot name="hero">${slotMarkup(decision, { name: 'hero' })}</attune-slot>` +
  `<attune-recs strategy="for-you" limit="4">${recsMarkup(products, 'for-you', { heading: 'Picked for you' })}</attune-recs>` +
  '<div style="height:1500px"></div>';

describe('hydrating edge-rendered markup', () => {
  it('keeps every node the edge sent, changes nothing, and shifts nothing (CLS 0)', async () => {
    h.server.delayWidgetsMs = 400; // the page is painted, images arrive, then the widgets hydrate
    const page = await h.open({ body: edgePage(), before: WATCH });
    await widgetsReady(page);
    await sleep(300);
    const r = await page.evaluate(() => {
      const now = [...document.querySelectorAll('attune-slot *, attune-recs *')];
      const before = (window as any).__nodes as Element[];
      return { before: before.length, same: before.length === now.length && before.every((n, i) => n === now[i] && n.isConnected), mutations: (window as any).__mutations };
    });
    expect(r.before, 'the edge rendered markup').toBeGreaterThan(20);
    expect(r.same, 'the same DOM nodes survive hydration').toBe(true);
    expect(r.mutations, 'DOM changes inside the widgets').toBe(0);
    const shift = await cls(page);
    console.log(`[widgets] CLS of an edge-rendered page through hydration: ${shift}`);
    expect(shift).toBe(0);
    // What the visitor sees: the personalized hero and four products with their reasons.
    await expect(page.locator('attune-slot h2').textContent()).resolves.toBe('Deep hydration for dry skin');
    await expect(page.locator('attune-recs li').count()).resolves.toBe(4);
  });

  it('sends Experiment Viewed and Product List Viewed once each, after 1 s in view', async () => {
    // When the widgets took over, and when each event was tracked, in page time.
    const before = `document.addEventListener('attune-recs', () => { window.__hydratedAt = performance.now(); });
      const t = attune.track; attune.track = (e, p) => { (window.__at ||= {})[e] = performance.now(); t(e, p); };`;
    const page = await h.open({ body: edgePage(), before });
    await page.waitForFunction(() => (window as any).__calls.filter((c: unknown[]) => c[1] === 'Product List Viewed').length === 1);
    const { hydratedAt, at } = await page.evaluate(() => ({ hydratedAt: (window as any).__hydratedAt, at: (window as any).__at }));
    expect(at['Product List Viewed'] - hydratedAt, 'in view for a moment first').toBeGreaterThanOrEqual(990);
    expect(await tracked(page, 'Experiment Viewed')).toEqual([{ experiment_id: 'hero-test', variant_id: 'b', slot: 'hero', variant: 'hero-dry' }]);
    const [list] = await tracked(page, 'Product List Viewed');
    expect(list).toMatchObject({ list_id: 'for-you', strategy: 'for-you' });
    expect(list.products.map((p: any) => [p.product_id, p.position, p.price, p.currency])).toEqual([
      ['p1', 1, 11, 'EUR'],
      ['p2', 2, 12, 'EUR'],
      ['p3', 3, 13, 'EUR'],
      ['p4', 4, 14, 'EUR'],
    ]);
    await sleep(1200);
    expect(await tracked(page, 'Experiment Viewed'), 'once per page').toHaveLength(1);
    expect(await tracked(page, 'Product List Viewed')).toHaveLength(1);
  });

  it('sends nothing for content below the fold or scrolled past quickly; sends once it stays in view', async () => {
    const page = await h.open({ body: edgePage(2000) });
    await widgetsReady(page);
    await sleep(1300);
    expect(await tracked(page, 'Experiment Viewed'), 'below the fold').toEqual([]);
    await page.evaluate(() => document.querySelector('attune-slot')!.scrollIntoView());
    await sleep(400);
    await page.evaluate(() => scrollTo(0, 0));
    await sleep(1000);
    expect(await tracked(page, 'Experiment Viewed'), 'seen for 0.4 s only').toEqual([]);
    await page.evaluate(() => document.querySelector('attune-slot')!.scrollIntoView());
    await page.waitForFunction(() => (window as any).__calls.some((c: unknown[]) => c[1] === 'Experiment Viewed'), null, { timeout: 3000 });
  });

  it('sends no exposure for previews, nor for decisions without an experiment', async () => {
    const body =
      `<attune-slot name="a">${slotMarkup(decision, { name: 'a', preview: true })}</attune-slot>` +
      `<attune-slot name="b">${slotMarkup({ ...decision, exposure: undefined }, { name: 'b' })}</attune-slot>` +
      `<attune-recs strategy="x">${recsMarkup(products, 'x', { preview: true })}</attune-recs>`;
    const page = await h.open({ body });
    await widgetsReady(page);
    await sleep(1500);
    await page.locator('attune-recs a').first().click();
    expect(await tracked(page, 'Experiment Viewed')).toEqual([]);
    expect(await tracked(page, 'Product List Viewed')).toEqual([]);
    expect(await tracked(page, 'Product Clicked')).toEqual([]);
  });

  it('a click, or Enter on a focused card, sends Product Clicked with position and strategy', async () => {
    const page = await h.open({ body: edgePage(), before: `document.addEventListener('click', (e) => e.preventDefault())` });
    await widgetsReady(page);
    await page.locator('attune-recs a').nth(2).click();
    await page.locator('attune-recs a').nth(1).focus();
    await page.keyboard.press('Enter');
    const clicks = await tracked(page, 'Product Clicked');
    expect(clicks.map((c) => [c.product_id, c.position, c.strategy, c.list_id])).toEqual([
      ['p3', 3, 'for-you', 'for-you'],
      ['p2', 2, 'for-you', 'for-you'],
    ]);
    expect(clicks[0]).toMatchObject({ name: 'Cream 3', price: 13, currency: 'EUR', url: '/p/p3' });
  });
});

describe('without the edge', () => {
  it('an empty <attune-recs> fetches and renders the same markup the edge would', async () => {
    h.server.recommendations = { strategy: 'for-you', items: products };
    const page = await h.open({ body: '<attune-recs strategy="for-you" limit="3" item="p9" category="serums" heading="Picked for you"></attune-recs>' });
    await page.waitForSelector('attune-recs li');
    // Every attribute that narrows the list reaches the API, as the edge passes it when it fills the row.
    expect(h.server.log.find((l) => l.startsWith('GET /v1/recommendations'))).toBe('GET /v1/recommendations?strategy=for-you&limit=3&item=p9&category=serums');
    const html = await page.locator('attune-recs').innerHTML();
    expect(html).toBe(await serialized(page, recsMarkup(products.slice(0, 3), 'for-you', { heading: 'Picked for you', locale: 'en' })));
  });

  it('an empty <attune-slot> asks /v1/decide, keeps the author’s fallback until then, and renders the decision', async () => {
    h.server.decide = { configVersion: 't', profileId: null, holdout: null, preview: false, slots: { hero: decision }, unknownSlots: [] };
    const page = await h.open({ body: '<attune-slot name="hero"><p>Welcome</p></attune-slot>' });
    await page.waitForSelector('attune-slot .attune-slot__title');
    expect(h.server.posts['/v1/decide']?.[0]).toMatchObject({ slots: ['hero'], context: { page: { path: '/' } } });
    expect(await page.locator('attune-slot').innerHTML()).toBe(await serialized(page, slotMarkup(decision, { name: 'hero' })));
  });

  it('frameworks can set items and decisions as properties, and listen to CustomEvents', async () => {
    const page = await h.open({ body: '<attune-recs strategy="similar"></attune-recs><attune-slot name="s"></attune-slot>' });
    await widgetsReady(page);
    const seen = await page.evaluate((arg) => {
      const got: string[] = [];
      document.addEventListener('attune-recs', (e) => got.push(`recs:${(e as CustomEvent).detail.items.length}`));
      document.addEventListener('attune-slot', (e) => got.push(`slot:${(e as CustomEvent).detail.variant}`));
      (document.querySelector('attune-recs') as any).items = arg.products;
      (document.querySelector('attune-slot') as any).decision = arg.decision;
      return got;
    }, { products, decision });
    expect(seen).toEqual(['recs:4', 'slot:hero-dry']);
    await expect(page.locator('attune-recs li').count()).resolves.toBe(4);
  });
});
