// The server-rendered markup of <attune-slot> and <attune-recs>: a contract between the edge and the
// widgets, so it lives here with the other contracts — the ONE definition, shared by the edge
// (HTMLRewriter fills the elements with these strings) and the browser (the widgets render the same
// strings when the edge did not). The widgets import this module at runtime: it carries no zod and no
// worker code (the size test checks the bundle). Because both sides use the same function, the widgets never need
// to re-render what the edge sent: they read the JSON data child and only attach behaviour, so nodes
// survive and nothing shifts.
//
// Pure TypeScript: no DOM, no Preact, no zod — it runs in workerd, in Node and in the browser.
// Every value is escaped; the only raw HTML is `content.unsafeHtml` from the validated config, which only an
// admin publishes (named so nobody writes it without knowing it is inserted as is).
import type { Decision } from './decide.js';

/**
 * The custom elements of @attune/widgets, the one list: the tracker loads the widgets bundle when one of them is on
 * the page (it queries this selector), the bundle defines one element per tag (its table is typed over WidgetTag),
 * and the base styles lay each out. One string rather than an array, so the script tag carries no more bytes
 * than the selector itself. A new widget's tag goes here (ARCHITECTURE.md, "How to add… a widget").
 */
export const WIDGET_SELECTOR = 'attune-recs,attune-slot,attune-quiz,attune-survey,attune-consent';
type Tags<S extends string> = S extends `${infer Tag},${infer Rest}` ? Tag | Tags<Rest> : S;
/** `'attune-slot' | 'attune-recs' | …`, read from WIDGET_SELECTOR. */
export type WidgetTag = Tags<typeof WIDGET_SELECTOR>;

/** A product card as the widgets need it. Also accepts the recommendations API's `{product, reason}` items. */
export interface RecItem {
  id: string;
  name: string;
  url: string;
  image?: string;
  price?: number;
  currency?: string;
  /** A sentence for the shopper: why this product. */
  reason?: string;
}

/** What the widget reads back from the JSON child of a filled <attune-slot>. */
export interface SlotData {
  slot: string;
  variant: string;
  exposure?: { experiment_id: string; variant_id: string };
  preview?: boolean;
}

/** What the widget reads back from the JSON child of a filled <attune-recs>. */
export interface RecsData {
  strategy: string;
  list_id: string;
  items: { id: string; name: string; price?: number; currency?: string; url: string; position: number }[];
  preview?: boolean;
}

export interface SlotOptions {
  /** The slot's name (the element's `name` attribute), echoed in the data for the exposure event. */
  name?: string;
  /** A preview render: the widget sends no exposure. */
  preview?: boolean;
  /** Heading level of the title, 1–6 (default 2): the page owner knows the outline, the config does not. */
  level?: number;
}

export interface RecsOptions {
  /** A visible heading for the row; without it the list is labelled by `label`. */
  heading?: string;
  /** Accessible name when there is no heading (default "Recommended for you"). */
  label?: string;
  /** `list_id` of Product List Viewed / Product Clicked (default: the strategy). */
  listId?: string;
  /** BCP 47 locale for prices (default "en"). */
  locale?: string;
  preview?: boolean;
  level?: number;
}

/** Marks the JSON child; the widgets look for `script[data-attune]`. */
export const DATA_SELECTOR = 'script[data-attune]';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values. Anything not a string or number is "". */
export function esc(v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') return '';
  return String(v).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/**
 * A URL safe for href/src: http(s), protocol-relative or relative. `javascript:`, `data:`, `vbscript:` and
 * other schemes become "" (a product feed or a trait must not be able to run script on click).
 */
export function safeUrl(v: unknown): string {
  if (typeof v !== 'string') return '';
  // Browsers ignore tabs/newlines and leading control characters in schemes ("java\tscript:").
  const u = v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!u) return '';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u);
  if (scheme && !/^https?$/i.test(scheme[1]!)) return '';
  return v.trim();
}

/**
 * JSON for a `<script type="application/json">` child: `<`, `>`, `&` and the JS line separators become
 * \u escapes, so a name like `</script><script>…` cannot close the element. JSON.parse restores them.
 */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const dataChild = (v: unknown) => `<script type="application/json" data-attune>${jsonForScript(v)}</script>`;

const level = (n: unknown) => (typeof n === 'number' && n >= 1 && n <= 6 ? Math.floor(n) : 2);

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Formats a price; an unknown currency code falls back to "12.00 XYZ" rather than throwing. */
export function formatPrice(price: unknown, currency: unknown, locale = 'en'): string {
  if (typeof price !== 'number' || !Number.isFinite(price)) return '';
  const c = typeof currency === 'string' ? currency : '';
  try {
    return new Intl.NumberFormat(locale, c ? { style: 'currency', currency: c } : { minimumFractionDigits: 2 }).format(price);
  } catch {
    return `${price.toFixed(2)}${c ? ' ' + c : ''}`;
  }
}

/** Accepts a RecItem or the recommendations API's `{ product, reason }`; null for what is not a product. */
export function toItem(x: unknown): RecItem | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  const p = (o.product && typeof o.product === 'object' ? o.product : o) as Record<string, unknown>;
  const id = p.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof p.name !== 'string') return null;
  return {
    id: String(id),
    name: p.name,
    url: str(p.url) ?? '',
    image: str(p.image),
    price: typeof p.price === 'number' ? p.price : undefined,
    currency: str(p.currency),
    reason: str(o.reason) ?? str(p.reason),
  };
}

/**
 * Inner HTML of `<attune-slot name="…">` for a decision. `content.unsafeHtml`, when present, is the config
 * author's fragment and is inserted as is (trusted authors only); otherwise image, title, text and call to
 * action, all escaped. Any other field, `html` included, is never HTML.
 */
export function slotMarkup(decision: Pick<Decision, 'variant' | 'content'> & Partial<Decision>, o: SlotOptions = {}): string {
  const c = (decision?.content ?? {}) as Record<string, unknown>;
  const h = level(o.level);
  let body: string;
  if (typeof c.unsafeHtml === 'string') body = c.unsafeHtml;
  else {
    const img = safeUrl(c.image);
    const w = typeof c.width === 'number' ? ` width="${esc(c.width)}"` : '';
    const ht = typeof c.height === 'number' ? ` height="${esc(c.height)}"` : '';
    const cta = (c.cta ?? {}) as Record<string, unknown>;
    const href = safeUrl(cta.href ?? c.href);
    const label = str(cta.label);
    body =
      (img ? `<img class="attune-slot__image" src="${esc(img)}" alt="${esc(c.alt)}"${w}${ht}>` : '') +
      '<div class="attune-slot__body">' +
      (str(c.title) ? `<h${h} class="attune-slot__title">${esc(c.title)}</h${h}>` : '') +
      (str(c.text) ? `<p class="attune-slot__text">${esc(c.text)}</p>` : '') +
      (label && href ? `<a class="attune-slot__cta" href="${esc(href)}">${esc(label)}</a>` : '') +
      '</div>';
  }
  const data: SlotData = { slot: o.name ?? '', variant: String(decision?.variant ?? 'default') };
  if (decision?.exposure) data.exposure = decision.exposure;
  if (o.preview || decision?.reason?.kind === 'preview') data.preview = true;
  return `<div class="attune-slot" data-variant="${esc(data.variant)}">${body}</div>${dataChild(data)}`;
}

/**
 * Inner HTML of `<attune-recs strategy="…">`: a list of product cards, each a link with image, name,
 * price and the reason it was picked. With no items it renders only the data child, so the widget knows
 * the edge answered (and does not fetch again) while the page shows nothing in its place.
 */
export function recsMarkup(items: readonly unknown[], strategy: string, o: RecsOptions = {}): string {
  const list = (Array.isArray(items) ? items : []).map(toItem).filter((x): x is RecItem => x !== null);
  const listId = o.listId || strategy;
  const data: RecsData = {
    strategy,
    list_id: listId,
    items: list.map((p, i) => ({ id: p.id, name: p.name, price: p.price, currency: p.currency, url: safeUrl(p.url), position: i + 1 })),
  };
  if (o.preview) data.preview = true;
  if (!list.length) return dataChild(data);
  const h = level(o.level);
  const head = o.heading ? `<h${h} class="attune-recs__title">${esc(o.heading)}</h${h}>` : '';
  const label = o.heading ? '' : ` aria-label="${esc(o.label || 'Recommended for you')}"`;
  const cards = list
    .map((p, i) => {
      const img = safeUrl(p.image);
      const price = formatPrice(p.price, p.currency, o.locale);
      return (
        `<li class="attune-recs__item" data-position="${i + 1}" data-id="${esc(p.id)}">` +
        `<a class="attune-recs__link" href="${esc(safeUrl(p.url))}">` +
        // alt="": the name right after is the link's text; repeating it would be read twice.
        (img ? `<img class="attune-recs__image" src="${esc(img)}" alt="" loading="lazy">` : '') +
        `<span class="attune-recs__name">${esc(p.name)}</span>` +
        (price ? `<span class="attune-recs__price">${esc(price)}</span>` : '') +
        '</a>' +
        (p.reason ? `<p class="attune-recs__reason">${esc(p.reason)}</p>` : '') +
        '</li>'
      );
    })
    .join('');
  return `<section class="attune-recs"${label}>${head}<ul class="attune-recs__list">${cards}</ul></section>${dataChild(data)}`;
}

/**
 * The widgets' base styles. The edge puts `styleTag()` in <head> so the filled elements are laid out
 * right at first paint; the bundle adds the same sheet only when it is missing, so loading it never
 * moves anything. Every rule is inside :where() (specificity 0): the site's own CSS always wins.
 * Theme with --attune-accent, --attune-radius, --attune-font, --attune-fg, --attune-bg, --attune-gap.
 */
export const BASE_CSS = /* @__PURE__ */ [
  `:where(${WIDGET_SELECTOR}){display:block;font-family:var(--attune-font,inherit);color:var(--attune-fg,inherit)}`,
  ':where(.attune-slot){display:grid;gap:var(--attune-gap,1rem)}',
  ':where(.attune-slot__image,.attune-recs__image){display:block;width:100%;height:auto;aspect-ratio:var(--attune-image-ratio,16/9);object-fit:cover;border-radius:var(--attune-radius,8px)}',
  ':where(.attune-recs__image){aspect-ratio:var(--attune-card-ratio,1)}',
  ':where(.attune-slot__cta,.attune-btn){display:inline-block;padding:.6em 1.2em;border:2px solid var(--attune-accent,#1a56db);border-radius:var(--attune-radius,8px);background:var(--attune-accent,#1a56db);color:var(--attune-on-accent,#fff);font:inherit;text-decoration:none;cursor:pointer}',
  ':where(.attune-btn--ghost){background:transparent;color:var(--attune-accent,#1a56db)}',
  ':where(.attune-recs__list){list-style:none;margin:0;padding:0;display:grid;gap:var(--attune-gap,1rem);grid-template-columns:repeat(auto-fill,minmax(var(--attune-card-min,10rem),1fr))}',
  ':where(.attune-recs__link){display:grid;gap:.25rem;color:inherit;text-decoration:none}',
  ':where(.attune-recs__price){font-weight:600}',
  ':where(.attune-recs__reason){margin:.25rem 0 0;font-size:.875em;opacity:.8}',
  ':where(.attune-card){padding:var(--attune-pad,1.25rem);border:1px solid var(--attune-border,#d0d5dd);border-radius:var(--attune-radius,8px);background:var(--attune-bg,#fff)}',
  ':where(.attune-card fieldset){border:0;margin:0;padding:0;display:grid;gap:.5rem}',
  ':where(.attune-card legend){font-weight:600;margin-bottom:.5rem}',
  ':where(.attune-scale){display:flex;flex-wrap:wrap;gap:.25rem}',
  ':where(.attune-scale label){display:grid;place-items:center;min-width:2.5em;min-height:2.5em;border:1px solid var(--attune-border,#d0d5dd);border-radius:var(--attune-radius,8px);cursor:pointer}',
  ':where(.attune-scale input){position:absolute;opacity:0;width:1px;height:1px}',
  ':where(.attune-scale label:has(:checked)){background:var(--attune-accent,#1a56db);color:var(--attune-on-accent,#fff)}',
  ':where(.attune-scale label:has(:focus-visible)){outline:3px solid var(--attune-accent,#1a56db);outline-offset:2px}',
  ':where(.attune-actions){display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}',
  ':where(.attune-progress){width:100%;accent-color:var(--attune-accent,#1a56db)}',
  ':where(.attune-consent){position:fixed;inset:auto 1rem 1rem;z-index:var(--attune-z,2147483000);max-width:40rem;margin:auto;box-shadow:0 4px 24px #0003}',
  ':where(.attune-card textarea){width:100%;box-sizing:border-box;font:inherit}',
].join('');

export const styleTag = () => `<style data-attune-css>${BASE_CSS}</style>`;
