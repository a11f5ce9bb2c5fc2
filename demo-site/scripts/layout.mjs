// The demo store's shared page parts: <head> with the one script tag, header, footer, product cards.
// Plain functions returning HTML strings, used by pages.mjs at build time. Every value is escaped.

/** The tracker's loader: the stub that queues calls, then the script itself. Must stay on every page. */
export const LOADER =
  `<script>!function(w,n){var a=w[n]=w[n]||[];if(a.push&&!a.v){a.v=1;var m=['page','track','identify','alias','reset','ready','answer'],s=function(k){return function(){a.push([k].concat([].slice.call(arguments)))}};m.forEach(function(k){a[k]=s(k)});a.consent={get:s('consent.get'),set:s('consent.set'),on:s('consent.on')}}}(window,'attune')</script>\n` +
  `  <script async src="/attune.js" data-write-key="demo"></script>`;

export const STORE = 'Lumen Skin';

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
export const price = (p) => money.format(p.price ?? p);

export const CATEGORY_NAMES = {
  cleansers: 'Cleansers',
  toners: 'Toners',
  serums: 'Serums',
  moisturizers: 'Moisturizers',
  masks: 'Masks',
  sunscreens: 'Sunscreens',
  'eye-care': 'Eye care',
  exfoliators: 'Exfoliators',
};
export const categoryName = (id) => CATEGORY_NAMES[id] ?? id;

export const SKIN_NAMES = { dry: 'Dry', oily: 'Oily', combination: 'Combination', sensitive: 'Sensitive', normal: 'Normal' };

const LOGO =
  '<svg class="logo__mark" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="15" fill="var(--accent)"/><path d="M16 6c4 5 6 8.5 6 11.5a6 6 0 0 1-12 0C10 14.5 12 11 16 6z" fill="#fff"/></svg>';

function header() {
  const nav = Object.entries(CATEGORY_NAMES)
    .map(([id, name]) => `<li><a href="/c/${id}">${esc(name)}</a></li>`)
    .join('');
  return `<header class="site-header">
    <div class="wrap site-header__bar">
      <a class="logo" href="/" aria-label="${STORE} home">${LOGO}<span>${STORE}</span></a>
      <form class="search" action="/search" method="get" role="search">
        <label class="visually-hidden" for="q">Search products</label>
        <input id="q" name="q" type="search" placeholder="Search cleansers, serums, SPF…" autocomplete="off">
        <button type="submit" aria-label="Search"><svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="m15.5 15.5 5 5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg></button>
      </form>
      <nav class="user-nav" aria-label="Your account">
        <a href="/account" data-account-link>Account</a>
        <a href="/cart" class="cart-link">Cart <span class="cart-count" data-cart-count aria-label="items in cart">0</span></a>
      </nav>
    </div>
    <nav class="cat-nav" aria-label="Categories"><ul class="wrap">${nav}<li><a class="cat-nav__quiz" href="/quiz">Skin quiz</a></li></ul></nav>
  </header>`;
}

function footer() {
  const cats = Object.entries(CATEGORY_NAMES)
    .slice(0, 4)
    .map(([id, name]) => `<li><a href="/c/${id}">${esc(name)}</a></li>`)
    .join('');
  const more = Object.entries(CATEGORY_NAMES)
    .slice(4)
    .map(([id, name]) => `<li><a href="/c/${id}">${esc(name)}</a></li>`)
    .join('');
  return `<footer class="site-footer">
    <div class="wrap site-footer__grid">
      <div>
        <a class="logo" href="/">${LOGO}<span>${STORE}</span></a>
        <p>Kind formulas for every skin type. Free shipping over €40, 30-day returns.</p>
      </div>
      <div><h2>Shop</h2><ul>${cats}</ul></div>
      <div><h2>&nbsp;</h2><ul>${more}</ul></div>
      <div><h2>Help</h2><ul><li><a href="/quiz">Find your routine</a></li><li><a href="/account">Your account</a></li><li><a href="/cart">Your cart</a></li><li><a href="/c/new">New arrivals</a></li></ul></div>
    </div>
    <p class="wrap site-footer__small">A demo store for Attune: personalized at the edge, only with your consent. Nothing here is for sale.</p>
  </footer>`;
}

/**
 * A whole page. `page` names the page for shop.js (`<body data-page>`); `data` is JSON the page's script
 * reads (a product, a category's products), placed in a `<script type="application/json" id="page-data">`.
 */
export function layout({ title, description = '', page, body, data }) {
  const json = data === undefined ? '' : `\n<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title ? `${title} — ${STORE}` : `${STORE} — skin care that listens`)}</title>
  <meta name="description" content="${esc(description || 'Lumen Skin: cleansers, serums and creams picked for your skin type.')}">
  <link rel="icon" href="/img/logo.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/styles.css">
  ${LOADER}
  <script defer src="/shop.js"></script>
</head>
<body data-page="${esc(page)}">
  <attune-consent></attune-consent>
  <attune-slot name="promo-bar" class="promo-bar"><div class="attune-slot"><div class="attune-slot__body"><p class="attune-slot__text">Free shipping over €40</p></div></div></attune-slot>
  ${header()}
  <main id="main" class="wrap">
${body}
  </main>
  ${footer()}${json}
  <div class="toast" role="status" aria-live="polite" data-toast></div>
</body>
</html>
`;
}

/** The add-to-cart button: carries what shop.js needs for the cart line and the Segment event. */
export function addButton(p, { label = 'Add to cart', cls = 'btn' } = {}) {
  return `<button type="button" class="${cls}" data-add-to-cart data-id="${esc(p.id)}" data-name="${esc(p.name)}" data-price="${p.price}" data-category="${esc(p.categories[0])}" data-url="${esc(p.url)}" data-image="${esc(p.image)}">${esc(label)}</button>`;
}

/** A product card in a grid. Same markup as shop.js renders for search results. */
export function card(p, position) {
  return `<li class="card" data-product-card data-id="${esc(p.id)}" data-skin="${esc(p.attributes.skinType.join(' '))}" data-position="${position}">
  <a class="card__link" href="${esc(p.url)}">
    <img class="card__image" src="${esc(p.image)}" width="200" height="200" alt="" loading="lazy">
    <span class="card__cat">${esc(categoryName(p.categories[0]))}</span>
    <span class="card__name">${esc(p.name)}</span>
  </a>
  <div class="card__foot"><span class="card__price">${price(p)}</span>${addButton(p, { label: 'Add', cls: 'btn btn--small' })}</div>
</li>`;
}

export const grid = (products) => `<ul class="grid">${products.map((p, i) => card(p, i + 1)).join('\n')}</ul>`;

/** A recommendations row, filled by the edge; the class reserves its space when it is not. */
export function recs(strategy, heading, attrs = {}) {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<attune-recs class="recs-row" strategy="${esc(strategy)}" limit="4" heading="${esc(heading)}"${extra}></attune-recs>`;
}
