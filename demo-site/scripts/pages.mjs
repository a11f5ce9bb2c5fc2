// Writes the demo store's pages into the built site (dist/site), from the catalog and the shared layout:
// home, quiz, one page per category, search, one page per product, cart, checkout, order confirmation
// and account, plus /catalog.json for the client-side search. scripts/build.mjs calls buildPages() after
// copying demo-site/public. Wrangler's asset handling serves `products/cle-001.html` at `/products/cle-001`.
// Nothing here personalizes: the pages carry <attune-*> elements the edge fills, and shop.js tracks.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORY_NAMES, SKIN_NAMES, addButton, categoryName, esc, grid, layout, price, recs } from './layout.mjs';

const site = fileURLToPath(new URL('..', import.meta.url));

export async function loadCatalog() {
  return JSON.parse(await readFile(join(site, 'catalog/products.json'), 'utf8')).products;
}

const TAG_TEXT = {
  hydrating: 'floods skin with lasting moisture',
  'hyaluronic-acid': 'hyaluronic acid holds water where skin needs it',
  ceramides: 'ceramides rebuild a comfortable barrier',
  'fragrance-free': 'fragrance-free',
  calming: 'calms redness and tightness',
  minimal: 'a short, minimal ingredient list',
  'oil-control': 'keeps shine in check all day',
  niacinamide: 'niacinamide refines the look of pores',
  acne: 'helps clear breakouts',
  salicylic: 'salicylic acid keeps pores clear',
  brightening: 'brings back a bright, even tone',
  'vitamin-c': 'vitamin C for a fresh glow',
  'anti-aging': 'softens the look of fine lines',
  retinol: 'encapsulated retinol works overnight',
  peptides: 'peptides support firmness',
  centella: 'centella soothes and repairs',
  spf: 'broad-spectrum protection with no white cast',
};

/** A short product description from the product's line, category and tags. */
export function describe(p) {
  const skins = p.attributes.skinType.map((s) => SKIN_NAMES[s].toLowerCase());
  const benefits = p.tags.map((t) => TAG_TEXT[t]).filter(Boolean);
  const first = `A ${categoryName(p.categories[0]).toLowerCase().replace(/s$/, '')} from our ${p.name.split(' ').slice(0, 2).join(' ')} line, made for ${skins.join(' and ')} skin.`;
  const rest = benefits.length ? ` ${benefits[0][0].toUpperCase()}${benefits[0].slice(1)}${benefits.length > 1 ? `; ${benefits.slice(1).join('; ')}` : ''}.` : '';
  return first + rest + ' Dermatologist tested, vegan, in a recyclable pack.';
}

function home(products) {
  const featured = Object.keys(CATEGORY_NAMES)
    .map((id, i) => {
      const p = products.filter((x) => x.categories[0] === id)[(i * 2 + 1) % 15];
      return `<li><a class="tile" href="/c/${id}"><img src="${esc(p.image)}" width="200" height="200" alt="">${esc(categoryName(id))}</a></li>`;
    })
    .join('');
  return layout({
    page: 'home',
    body: `<section class="hero" aria-label="Featured">
  <attune-slot name="hero"><div class="attune-slot" data-variant="default"><img class="attune-slot__image" src="/img/hero-default.svg" alt="" width="1600" height="900"><div class="attune-slot__body"><h2 class="attune-slot__title">Skin care that listens</h2><p class="attune-slot__text">Take our two-minute skin quiz and we will pick what fits you.</p><a class="attune-slot__cta" href="/quiz">Take the quiz</a></div></div></attune-slot>
</section>
<section class="tiles" aria-labelledby="shop-by"><h2 id="shop-by">Shop by category</h2><ul>${featured}</ul></section>
${recs('home-for-you', 'Picked for you')}
<section class="quiz-invite" id="quiz" aria-labelledby="quiz-title">
  <div><h2 id="quiz-title">Not sure where to start?</h2><p>Three questions about your skin, and the whole store rearranges around the answers.</p><p><a class="btn btn--ghost" href="/quiz" data-quiz-link>Open the skin quiz</a></p></div>
  <attune-quiz id="skin" class="quiz-box"></attune-quiz>
</section>
<section class="promises"><ul><li><strong>Free shipping</strong> over €40</li><li><strong>30-day returns</strong> even when opened</li><li><strong>Vegan</strong> and cruelty-free</li></ul></section>`,
  });
}

function quiz() {
  return layout({
    page: 'quiz',
    title: 'Find your routine',
    body: `<div class="narrow">
  <p class="crumbs"><a href="/">Home</a> / Skin quiz</p>
  <h1>Find your routine</h1>
  <p class="lede">Three quick questions. Your answers stay with us and only shape what this store shows you.</p>
  <attune-quiz id="skin" class="quiz-box" thanks="Thank you! Your picks are ready."></attune-quiz>
  <div class="quiz-done" data-quiz-done hidden><p>Your home page now shows products for your skin.</p><a class="btn" href="/" data-quiz-home>See my picks</a></div>
</div>`,
  });
}

function skinFilter() {
  const chips = Object.entries(SKIN_NAMES)
    .map(([id, name]) => `<a class="chip" href="?skin=${id}" data-skin-filter="${id}">${name}</a>`)
    .join('');
  return `<nav class="chips" aria-label="Filter by skin type"><a class="chip" href="?" data-skin-filter="">All skin types</a>${chips}</nav>`;
}

function listPage(id, title, intro, items, list) {
  return layout({
    page: 'category',
    title,
    description: intro,
    data: { list_id: id, category: list, products: items.map((p) => p.id) },
    body: `<p class="crumbs"><a href="/">Home</a> / ${esc(title)}</p>
<div class="list-head"><h1>${esc(title)}</h1><p class="lede">${esc(intro)}</p></div>
${skinFilter()}
<p class="count" data-result-count>${items.length} products</p>
${grid(items)}
${list ? recs('category-trending', `Trending in ${title}`, { category: id }) : ''}`,
  });
}

const INTRO = {
  cleansers: 'Gentle washes, balms and gels that clean without stripping.',
  toners: 'Toners and essences that prepare skin for everything after.',
  serums: 'Concentrated serums for hydration, clarity, glow and calm.',
  moisturizers: 'Creams and gel creams for every skin type and season.',
  masks: 'Weekly masks for a deep reset, overnight or in ten minutes.',
  sunscreens: 'Daily SPF that feels like nothing on the skin.',
  'eye-care': 'Creams and gels for the delicate skin around the eyes.',
  exfoliators: 'Acids, pads and polishes for smoother, brighter skin.',
};

function product(p) {
  const cat = p.categories[0];
  const skins = p.attributes.skinType.map((s) => `<li>${SKIN_NAMES[s]}</li>`).join('');
  const stock = p.inStock ? '<p class="stock stock--in">In stock, ships in 1–2 days</p>' : '<p class="stock stock--out">Back soon: order now, ships in 2–3 weeks</p>';
  return layout({
    page: 'product',
    title: p.name,
    description: describe(p),
    data: { id: p.id, name: p.name, price: p.price, currency: p.currency, category: cat, url: p.url, image: p.image },
    body: `<p class="crumbs"><a href="/">Home</a> / <a href="/c/${cat}">${esc(categoryName(cat))}</a> / ${esc(p.name)}</p>
<article class="pdp" data-product-id="${esc(p.id)}">
  <div class="pdp__media"><img src="${esc(p.image)}" width="560" height="560" alt="${esc(p.name)}"></div>
  <div class="pdp__info">
    <p class="pdp__cat"><a href="/c/${cat}">${esc(categoryName(cat))}</a></p>
    <h1 class="pdp__name">${esc(p.name)}</h1>
    <p class="pdp__price" data-price="${p.price}">${price(p)}</p>
    <div class="pdp__skin"><span>For skin:</span><ul class="tags">${skins}</ul></div>
    <p class="pdp__desc">${esc(describe(p))}</p>
    <form class="buy" data-buy-form onsubmit="return false">
      <label for="qty">Quantity</label>
      <input id="qty" name="quantity" type="number" min="1" max="10" value="1" inputmode="numeric">
      ${addButton(p)}
    </form>
    ${stock}
    <ul class="pdp__facts"><li>Free shipping over €40</li><li>30-day returns</li><li>SKU ${esc(p.id.toUpperCase())}</li></ul>
  </div>
</article>
${recs('pdp-bought', 'Often bought together', { item: p.id })}
${recs('pdp-viewed', 'Shoppers also viewed', { item: p.id })}`,
  });
}

const simple = (page, title, body) => layout({ page, title, body });

const PAGES = {
  search: () =>
    simple('search', 'Search', `<p class="crumbs"><a href="/">Home</a> / Search</p>
<div class="list-head"><h1 data-search-title>Search</h1></div>
<form class="search search--page" action="/search" method="get" role="search"><label class="visually-hidden" for="q2">Search products</label><input id="q2" name="q" type="search" placeholder="Try “vitamin C” or “dry skin”"><button class="btn" type="submit">Search</button></form>
<p class="count" data-result-count aria-live="polite"></p>
<ul class="grid" data-search-results></ul>
<p class="empty" data-search-empty hidden>Nothing matched. Try a skin type (“oily”), an ingredient (“niacinamide”) or a category (“serum”).</p>`),
  cart: () =>
    simple('cart', 'Your cart', `<h1>Your cart</h1>
<div class="cart" data-cart>
  <ul class="cart__lines" data-cart-lines></ul>
  <p class="empty" data-cart-empty hidden>Your cart is empty. <a href="/">Keep shopping</a></p>
  <aside class="cart__summary" data-cart-summary>
    <p><span>Subtotal</span> <strong data-cart-subtotal>€0.00</strong></p>
    <p class="muted" data-shipping-note>Free shipping over €40</p>
    <a class="btn btn--block" href="/checkout" data-checkout>Checkout</a>
  </aside>
</div>
${recs('pdp-bought', 'Complete your routine')}`),
  checkout: () =>
    simple('checkout', 'Checkout', `<h1>Checkout</h1>
<div class="checkout">
  <form id="checkout-form" class="form" method="post" action="/order/confirmed">
    <fieldset><legend>Contact</legend>
      <label>Email<input name="email" type="email" required autocomplete="email"></label>
      <label>Full name<input name="name" type="text" required autocomplete="name"></label>
    </fieldset>
    <fieldset><legend>Shipping</legend>
      <label>Address<input name="address" type="text" required value="12 Rue des Fleurs"></label>
      <div class="row"><label>City<input name="city" type="text" required value="Lyon"></label><label>Postcode<input name="postcode" type="text" required value="69002"></label></div>
    </fieldset>
    <fieldset><legend>Payment <span class="muted">(demo: nothing is charged)</span></legend>
      <label>Card number<input name="card" type="text" required value="4242 4242 4242 4242" inputmode="numeric" autocomplete="off"></label>
      <div class="row"><label>Expiry<input name="expiry" type="text" required value="12/30" autocomplete="off"></label><label>CVC<input name="cvc" type="text" required value="123" autocomplete="off"></label></div>
    </fieldset>
    <button class="btn btn--block" type="submit" data-place-order>Place order</button>
  </form>
  <aside class="cart__summary"><h2>Order summary</h2><ul class="summary-lines" data-summary-lines></ul><p><span>Total</span> <strong data-cart-subtotal>€0.00</strong></p></aside>
</div>`),
  'order/confirmed': () =>
    simple('confirmed', 'Thank you', `<div class="narrow">
  <h1>Thank you for your order</h1>
  <p class="lede">Order <strong data-order-id>—</strong> is confirmed. A receipt is on its way to <span data-order-email>your inbox</span>.</p>
  <aside class="cart__summary"><h2>Order summary</h2><ul class="summary-lines" data-summary-lines></ul><p><span>Total</span> <strong data-order-total>€0.00</strong></p></aside>
  <attune-survey id="nps" class="quiz-box quiz-box--nps" thanks="Thank you, that helps us a lot."></attune-survey>
  <p><a class="btn btn--ghost" href="/">Continue shopping</a></p>
</div>`),
  account: () =>
    simple('account', 'Your account', `<div class="narrow">
  <h1>Your account</h1>
  <section data-signed-out>
    <p class="lede">Sign in with your email to see your orders on any device.</p>
    <form id="signin-form" class="form">
      <label>Email<input name="email" type="email" required autocomplete="email"></label>
      <button class="btn" type="submit">Sign in</button>
    </form>
  </section>
  <section data-signed-in hidden>
    <p class="lede">Signed in as <strong data-account-email></strong>.</p>
    <button class="btn btn--ghost" type="button" data-sign-out>Sign out</button>
    <h2 id="orders">Your orders</h2>
    <ul class="orders" data-orders></ul>
  </section>
</div>
${recs('recently-viewed', 'Recently viewed')}`),
};

async function write(outDir, path, html) {
  const file = join(outDir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html);
}

/** Writes every page and /catalog.json into outDir; returns the URL paths it wrote. */
export async function buildPages(outDir, products) {
  products ??= await loadCatalog();
  const files = new Map([
    ['index.html', home(products)],
    ['quiz.html', quiz()],
  ]);
  for (const [path, fn] of Object.entries(PAGES)) files.set(`${path}.html`, fn());
  for (const id of Object.keys(CATEGORY_NAMES)) {
    const items = products.filter((p) => p.categories[0] === id);
    files.set(`c/${id}.html`, listPage(id, categoryName(id), INTRO[id], items, true));
  }
  const fresh = [...products].sort((a, b) => b.launchedAt.localeCompare(a.launchedAt)).slice(0, 24);
  files.set('c/new.html', listPage('new', 'New arrivals', 'The latest additions to every line.', fresh, false));
  for (const p of products) files.set(`products/${p.id}.html`, product(p));
  // The search index: what the search page matches and renders, nothing more.
  const compact = products.map((p) => ({ id: p.id, name: p.name, price: p.price, category: p.categories[0], image: p.image, url: p.url, skin: p.attributes.skinType, tags: p.tags }));
  files.set('catalog.json', JSON.stringify({ products: compact }));
  await Promise.all([...files].map(([path, html]) => write(outDir, path, html)));
  return [...files.keys()];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(site, '../dist/site');
  console.log(`wrote ${(await buildPages(out)).length} files to ${out}`);
}
