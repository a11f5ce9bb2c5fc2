// The markup contract the edge and the browser share: what it renders, and that nothing a visitor or a
// product feed supplies can become markup or script.
import { describe, expect, it } from 'vitest';
import { BASE_CSS, WIDGET_SELECTOR, esc, formatPrice, jsonForScript, recsMarkup, safeUrl, slotMarkup, styleTag, toItem, type RecsData, type SlotData } from './markup.js';

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1">',
  "'><svg onload=window.__xss=1>",
  '</script><script>window.__xss=1</script>',
  '`${window.__xss=1}`',
  '<!--',
];

/** The JSON child's data, parsed the way the widget does. */
function dataOf<T>(html: string): T {
  const m = /<script type="application\/json" data-attune>([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'a JSON data child').not.toBeNull();
  return JSON.parse(m![1]!) as T;
}

/** Tags in the markup: a payload that became a tag would show up here. */
const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());

describe('esc / safeUrl / jsonForScript', () => {
  it('escapes every character that can open a tag or close an attribute', () => {
    expect(esc(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    expect(esc(undefined)).toBe('');
    expect(esc({ toString: () => '<b>' })).toBe('');
    expect(esc(12.5)).toBe('12.5');
  });

  it('keeps http(s) and relative URLs and drops script-running schemes, however they are disguised', () => {
    for (const ok of ['/p/1', 'p/1?x=1#y', 'https://shop.example/p', '//cdn.example/i.png', 'HTTP://A.B']) expect(safeUrl(ok)).toBe(ok);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' \u0001javascript:x', 'data:text/html,<script>', 'vbscript:x', 'blob:x'])
      expect(safeUrl(bad), bad).toBe('');
    expect(safeUrl(42)).toBe('');
  });

  it('JSON for a script element cannot end the element, and parses back to the same value', () => {
    const v = { name: '</script><script>alert(1)</script>', s: '\u2028&<>' };
    const j = jsonForScript(v);
    expect(j).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(j)).toEqual(v);
  });
});

describe('slotMarkup', () => {
  const decision = {
    variant: 'hero-dry',
    content: { title: 'Deep hydration', text: 'Rich creams.', image: '/img/hero-dry.svg', cta: { label: 'Shop dry skin', href: '/c/dry' } },
    reason: { kind: 'experiment' as const, detail: 'arm b of hero-test' },
    exposure: { experiment_id: 'hero-test', variant_id: 'b' },
  };

  it('renders image, title, text and call to action, and the data the widget needs', () => {
    const html = slotMarkup(decision, { name: 'hero' });
    expect(html).toBe(
      '<div class="attune-slot" data-variant="hero-dry"><img class="attune-slot__image" src="/img/hero-dry.svg" alt="">' +
        '<div class="attune-slot__body"><h2 class="attune-slot__title">Deep hydration</h2><p class="attune-slot__text">Rich creams.</p>' +
        '<a class="attune-slot__cta" href="/c/dry">Shop dry skin</a></div></div>' +
        '<script type="application/json" data-attune>{"slot":"hero","variant":"hero-dry","exposure":{"experiment_id":"hero-test","variant_id":"b"}}</script>',
    );
    expect(dataOf<SlotData>(html)).toEqual({ slot: 'hero', variant: 'hero-dry', exposure: { experiment_id: 'hero-test', variant_id: 'b' } });
  });

  it('reserves the image box from the content’s width and height, and honours the heading level', () => {
    const html = slotMarkup({ variant: 'v', content: { title: 'T', image: '/a.png', width: 1200, height: 600 } }, { level: 3 });
    expect(html).toContain('width="1200" height="600"');
    expect(html).toContain('<h3 class="attune-slot__title">T</h3>');
  });

  it('inserts the config author’s content.unsafeHtml as is, and only that', () => {
    const html = slotMarkup({ variant: 'v', content: { unsafeHtml: '<strong>Sale</strong>', title: '<i>not used</i>' } });
    expect(html).toContain('<div class="attune-slot" data-variant="v"><strong>Sale</strong></div>');
    expect(html).not.toContain('<i>');
  });

  it('never inserts a field named html as HTML: raw HTML comes only from the field that says it is unsafe', () => {
    const html = slotMarkup({ variant: 'v', content: { html: '<img src=x onerror=alert(1)>', title: 'Sale' } });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror');
    expect(html).toContain('<h2 class="attune-slot__title">Sale</h2>');
  });

  it('marks previews so no exposure is sent, and leaves out exposure when the decision has none', () => {
    expect(dataOf<SlotData>(slotMarkup({ ...decision, reason: { kind: 'preview', detail: '' }, exposure: undefined }))).toEqual({ slot: '', variant: 'hero-dry', preview: true });
    expect(dataOf<SlotData>(slotMarkup({ ...decision }, { preview: true })).preview).toBe(true);
    expect(dataOf<SlotData>(slotMarkup({ variant: 'default', content: {} })).exposure).toBeUndefined();
  });

  it('escapes script payloads in every field and drops javascript: links', () => {
    for (const p of PAYLOADS) {
      const html = slotMarkup({ variant: p, content: { title: p, text: p, image: p, alt: p, cta: { label: p, href: `javascript:${p}` } } }, { name: p });
      expect(tags(html), p).toEqual(['div', 'img', 'div', 'h2', 'p', 'script']);
      expect(html).not.toContain('javascript:');
      expect(dataOf<SlotData>(html)).toMatchObject({ slot: p, variant: p });
    }
  });

  it('survives garbage without throwing', () => {
    expect(() => slotMarkup(null as never)).not.toThrow();
    expect(() => slotMarkup({ variant: 'v', content: { cta: 'x', title: 5 } as never })).not.toThrow();
  });
});

describe('recsMarkup', () => {
  const items = [
    { product: { id: 'p1', name: 'Barrier cream', url: '/p/p1', image: '/img/p1.png', price: 24, currency: 'EUR', categories: ['face'] }, reason: 'Because your skin is dry', strategy: 'for-you', score: 1 },
    { id: 'p2', name: 'Gel cleanser', url: '/p/p2', price: 12.5, currency: 'EUR' },
  ];

  it('renders a labelled list of product links with price and reason, and the data for tracking', () => {
    const html = recsMarkup(items, 'for-you');
    expect(html).toContain('<section class="attune-recs" aria-label="Recommended for you"><ul class="attune-recs__list">');
    expect(html).toContain(
      '<li class="attune-recs__item" data-position="1" data-id="p1"><a class="attune-recs__link" href="/p/p1"><img class="attune-recs__image" src="/img/p1.png" alt="" loading="lazy">' +
        '<span class="attune-recs__name">Barrier cream</span><span class="attune-recs__price">€24.00</span></a><p class="attune-recs__reason">Because your skin is dry</p></li>',
    );
    expect(html).toContain('data-position="2" data-id="p2"');
    expect(dataOf<RecsData>(html)).toEqual({
      strategy: 'for-you',
      list_id: 'for-you',
      items: [
        { id: 'p1', name: 'Barrier cream', price: 24, currency: 'EUR', url: '/p/p1', position: 1 },
        { id: 'p2', name: 'Gel cleanser', price: 12.5, currency: 'EUR', url: '/p/p2', position: 2 },
      ],
    });
  });

  it('uses a visible heading as the name when given, and a list id when given', () => {
    const html = recsMarkup(items, 'similar', { heading: 'You may also like', listId: 'pdp-similar', level: 3 });
    expect(html).toContain('<section class="attune-recs"><h3 class="attune-recs__title">You may also like</h3>');
    expect(dataOf<RecsData>(html).list_id).toBe('pdp-similar');
  });

  it('with no items renders only the data child (the edge answered; nothing to show)', () => {
    expect(recsMarkup([], 'for-you')).toBe('<script type="application/json" data-attune>{"strategy":"for-you","list_id":"for-you","items":[]}</script>');
    expect(recsMarkup([null, 5, { name: 'no id' }], 'x')).not.toContain('<li');
  });

  it('escapes script payloads in product fields and drops javascript: URLs', () => {
    for (const p of PAYLOADS) {
      const html = recsMarkup([{ id: p, name: p, url: `javascript:${p}`, image: `javascript:${p}`, reason: p, price: 1, currency: 'EUR' }], p, { heading: p });
      expect(tags(html), p).toEqual(['section', 'h2', 'ul', 'li', 'a', 'span', 'span', 'p', 'script']);
      expect(html).not.toContain('javascript:');
      expect(dataOf<RecsData>(html).items[0]).toMatchObject({ id: p, name: p, url: '' });
    }
  });
});

describe('helpers', () => {
  it('formats prices, and never throws on an unknown currency', () => {
    expect(formatPrice(24, 'EUR')).toBe('€24.00');
    expect(formatPrice(24, 'EUR', 'de')).toMatch(/24,00\s€/);
    expect(formatPrice(3, 'NOPE!')).toBe('3.00 NOPE!');
    expect(formatPrice(undefined, 'EUR')).toBe('');
  });

  it('reads the API’s {product, reason} and flat cards alike', () => {
    expect(toItem({ product: { id: 'a', name: 'A', url: '/a' }, reason: 'r' })).toEqual({ id: 'a', name: 'A', url: '/a', reason: 'r', image: undefined, price: undefined, currency: undefined });
    expect(toItem({ id: 7, name: 'B' })?.id).toBe('7');
    expect(toItem('x')).toBeNull();
  });

  it('the style tag is marked, so the bundle does not add the sheet a second time', () => {
    expect(styleTag()).toMatch(/^<style data-attune-css>:where\(attune-/);
    expect(styleTag()).not.toMatch(/<\/style>.+/);
  });

  it('the base styles lay out every widget tag, read from the one list', () => {
    expect(BASE_CSS.startsWith(`:where(${WIDGET_SELECTOR}){display:block;`)).toBe(true);
    expect(WIDGET_SELECTOR.split(',')).toEqual(['attune-recs', 'attune-slot', 'attune-quiz', 'attune-survey', 'attune-consent']);
  });
});
