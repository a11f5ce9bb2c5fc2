// Lumen Skin's shop script: the cart (localStorage), search, checkout and account forms, and the
// Segment e-commerce events they send through the Attune tracker. No personalization lives here: the
// edge and the widgets do that. Every call into the tracker is guarded, and nothing here may throw.
(function () {
  'use strict';
  var CART = 'lumen-cart', ORDERS = 'lumen-orders', ACCOUNT = 'lumen-account';
  var money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
  var fmt = function (n) { return money.format(n || 0); };
  var $ = function (s, root) { return (root || document).querySelector(s); };
  var $$ = function (s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); };
  var esc = function (s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); };
  var abs = function (u) { try { return new URL(u, location.origin).href; } catch (e) { return u; } };
  var round2 = function (n) { return Math.round(n * 100) / 100; };

  /** Calls the tracker (or its stub queue before it loads); never throws into the page. */
  function attune(method) {
    var args = [].slice.call(arguments, 1);
    try {
      var a = window.attune;
      if (a && typeof a[method] === 'function') return a[method].apply(a, args);
    } catch (e) { /* the shop keeps working without the tracker */ }
  }
  function read(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key) || 'null'); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  function write(key, v) {
    try { v == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* private mode */ }
  }
  function uid(prefix) {
    var r = (window.crypto && crypto.getRandomValues) ? crypto.getRandomValues(new Uint32Array(2)) : [Math.random() * 4e9, Date.now()];
    return prefix + (r[0] >>> 0).toString(36) + (r[1] >>> 0).toString(36).slice(0, 4);
  }
  /** The customer id for an email: the same on every device, so signing in anywhere merges the profiles. */
  function customerId(email) {
    var s = String(email).trim().toLowerCase(), h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return 'cust-' + ('0000000' + h.toString(16)).slice(-8);
  }

  // ---- cart ----
  function cart() {
    var c = read(CART, null);
    if (!c || !Array.isArray(c.items)) c = { cart_id: uid('cart-'), items: [] };
    return c;
  }
  function saveCart(c) { write(CART, c); showCount(c); }
  function count(c) { return c.items.reduce(function (n, i) { return n + i.quantity; }, 0); }
  function subtotal(c) { return round2(c.items.reduce(function (n, i) { return n + i.price * i.quantity; }, 0)); }
  function showCount(c) { $$('[data-cart-count]').forEach(function (el) { el.textContent = String(count(c || cart())); }); }
  /** Segment e-commerce product properties for a cart line or a product. */
  function productProps(p, extra) {
    var o = { product_id: p.id, sku: p.id, name: p.name, price: p.price, category: p.category, currency: 'EUR', url: abs(p.url), image_url: abs(p.image) };
    for (var k in extra) o[k] = extra[k];
    return o;
  }
  function fromButton(b) {
    var d = b.dataset;
    return { id: d.id, name: d.name, price: Number(d.price), category: d.category, url: d.url, image: d.image };
  }
  function add(p, quantity, position) {
    var c = cart(), line = c.items.filter(function (i) { return i.id === p.id; })[0];
    if (line) line.quantity += quantity;
    else c.items.push({ id: p.id, name: p.name, price: p.price, category: p.category, url: p.url, image: p.image, quantity: quantity });
    saveCart(c);
    var extra = { cart_id: c.cart_id, quantity: quantity };
    if (position) extra.position = position;
    attune('track', 'Product Added', productProps(p, extra));
    return c;
  }
  function toast(html) {
    var t = $('[data-toast]');
    if (!t) return;
    t.innerHTML = html;
    t.classList.add('toast--on');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.classList.remove('toast--on'); }, 3500);
  }
  document.addEventListener('click', function (e) {
    try {
      var b = e.target && e.target.closest && e.target.closest('[data-add-to-cart]');
      if (!b) return;
      e.preventDefault();
      var form = b.closest('form'), q = form && form.querySelector('[name=quantity]');
      var quantity = Math.max(1, Math.min(10, parseInt(q ? q.value : '1', 10) || 1));
      var cardEl = b.closest('[data-product-card]');
      var p = fromButton(b);
      add(p, quantity, cardEl ? Number(cardEl.dataset.position) || undefined : undefined);
      toast('<strong>' + esc(p.name) + '</strong> added to your cart. <a href="/cart">View cart</a>');
    } catch (err) { /* never break the page */ }
  });

  // ---- pages ----
  var data = (function () { try { var el = $('#page-data'); return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; } })();
  var params = new URLSearchParams(location.search);

  function product() {
    if (!data) return;
    attune('track', 'Product Viewed', productProps(data, {}));
  }

  function listed(cards, list) {
    return cards.map(function (el) {
      var b = $('[data-add-to-cart]', el);
      return productProps(fromButton(b), { position: Number(el.dataset.position) });
    });
  }

  function category() {
    var skin = params.get('skin') || '';
    var cards = $$('[data-product-card]');
    var shown = cards.filter(function (el) {
      var ok = !skin || el.dataset.skin.split(' ').indexOf(skin) >= 0;
      el.hidden = !ok;
      return ok;
    });
    $$('[data-skin-filter]').forEach(function (a) { if (a.dataset.skinFilter === skin) a.setAttribute('aria-current', 'true'); });
    var n = $('[data-result-count]');
    if (n) n.textContent = shown.length + ' products' + (skin ? ' for ' + skin + ' skin' : '');
    var props = { list_id: data && data.list_id, products: listed(shown) };
    if (data && data.category) props.category = data.category;
    if (skin) props.filters = [{ type: 'skin', value: skin }];
    attune('track', 'Product List Viewed', props);
  }

  function cardHtml(p, i) {
    var label = p.category.charAt(0).toUpperCase() + p.category.slice(1).replace('-', ' ');
    return '<li class="card" data-product-card data-id="' + esc(p.id) + '" data-skin="' + esc(p.skin.join(' ')) + '" data-position="' + (i + 1) + '">' +
      '<a class="card__link" href="' + esc(p.url) + '"><img class="card__image" src="' + esc(p.image) + '" width="200" height="200" alt="" loading="lazy">' +
      '<span class="card__cat">' + esc(label) + '</span><span class="card__name">' + esc(p.name) + '</span></a>' +
      '<div class="card__foot"><span class="card__price">' + fmt(p.price) + '</span><button type="button" class="btn btn--small" data-add-to-cart data-id="' + esc(p.id) +
      '" data-name="' + esc(p.name) + '" data-price="' + p.price + '" data-category="' + esc(p.category) + '" data-url="' + esc(p.url) + '" data-image="' + esc(p.image) + '">Add</button></div></li>';
  }

  function search() {
    var query = (params.get('q') || '').trim();
    $$('input[name=q]').forEach(function (i) { i.value = query; });
    var title = $('[data-search-title]');
    if (title && query) title.textContent = 'Results for “' + query + '”';
    if (!query) return;
    fetch('/catalog.json').then(function (r) { return r.json(); }).then(function (cat) {
      var words = query.toLowerCase().split(/\s+/).map(function (w) { return w.replace(/s$/, ''); });
      var hits = cat.products.filter(function (p) {
        var hay = [p.name, p.category, p.skin.join(' '), p.skin.join('-skin '), p.tags.join(' ').replace(/-/g, ' ')].join(' ').toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
      var list = $('[data-search-results]');
      if (list) list.innerHTML = hits.map(cardHtml).join('');
      var n = $('[data-result-count]');
      if (n) n.textContent = hits.length + (hits.length === 1 ? ' product' : ' products');
      var empty = $('[data-search-empty]');
      if (empty) empty.hidden = hits.length > 0;
      attune('track', 'Products Searched', { query: query });
    }).catch(function () { /* offline: the page stays as it is */ });
  }

  function lineHtml(i) {
    return '<li class="line" data-line data-id="' + esc(i.id) + '"><img src="' + esc(i.image) + '" width="88" height="88" alt="">' +
      '<div class="line__info"><a href="' + esc(i.url) + '">' + esc(i.name) + '</a><span class="muted">' + fmt(i.price) + ' each</span></div>' +
      '<label class="line__qty"><span class="visually-hidden">Quantity</span><input type="number" min="1" max="10" value="' + i.quantity + '" data-qty></label>' +
      '<strong class="line__total">' + fmt(i.price * i.quantity) + '</strong>' +
      '<button type="button" class="link-btn" data-remove>Remove</button></li>';
  }

  function renderCart() {
    var c = cart(), lines = $('[data-cart-lines]');
    if (lines) lines.innerHTML = c.items.map(lineHtml).join('');
    var empty = $('[data-cart-empty]');
    if (empty) empty.hidden = c.items.length > 0;
    var summary = $('[data-cart-summary]');
    if (summary) summary.hidden = !c.items.length;
    $$('[data-cart-subtotal]').forEach(function (el) { el.textContent = fmt(subtotal(c)); });
    var note = $('[data-shipping-note]');
    if (note) note.textContent = subtotal(c) >= 40 ? 'Free shipping included' : fmt(40 - subtotal(c)) + ' more for free shipping';
    return c;
  }

  function cartPage() {
    var c = renderCart();
    attune('track', 'Cart Viewed', { cart_id: c.cart_id, products: c.items.map(function (i) { return productProps(i, { quantity: i.quantity }); }) });
    var lines = $('[data-cart-lines]');
    if (!lines) return;
    function change(id, quantity) {
      var c = cart(), line = c.items.filter(function (i) { return i.id === id; })[0];
      if (!line) return;
      var delta = quantity - line.quantity;
      if (!delta) return;
      line.quantity = quantity;
      c.items = c.items.filter(function (i) { return i.quantity > 0; });
      saveCart(c);
      attune('track', delta > 0 ? 'Product Added' : 'Product Removed', productProps(line, { cart_id: c.cart_id, quantity: Math.abs(delta) }));
      renderCart();
    }
    lines.addEventListener('change', function (e) {
      try {
        var li = e.target.closest('[data-line]');
        if (li && e.target.matches('[data-qty]')) change(li.dataset.id, Math.max(0, Math.min(10, parseInt(e.target.value, 10) || 0)));
      } catch (err) { /* ignore */ }
    });
    lines.addEventListener('click', function (e) {
      try {
        var li = e.target.closest('[data-line]');
        if (li && e.target.closest('[data-remove]')) change(li.dataset.id, 0);
      } catch (err) { /* ignore */ }
    });
  }

  function summary(items) {
    var ul = $('[data-summary-lines]');
    if (ul) ul.innerHTML = items.map(function (i) { return '<li><span>' + i.quantity + ' × ' + esc(i.name) + '</span><span>' + fmt(i.price * i.quantity) + '</span></li>'; }).join('');
  }

  /** Waits (briefly) for the tracker to hand its outbox to the network before leaving the page. */
  function thenGo(url) {
    var go = function () { location.assign(url); };
    var flushed;
    try { flushed = window.attune && typeof window.attune.flush === 'function' ? window.attune.flush() : null; } catch (e) { flushed = null; }
    Promise.race([Promise.resolve(flushed), new Promise(function (r) { setTimeout(r, 800); })]).then(go, go);
  }

  /**
   * Signs in: the shop's backend (here /demo/sign-in, the Worker's development stand-in) proves the customer id
   * with userHash, which lets Attune link this browser to the customer's profile on every device. Without the
   * proof the identify is only a claim: it stays on this browser's anonymous profile. `then` runs once identified.
   */
  function signIn(email, name, then) {
    var id = customerId(email), traits = { email: String(email).trim().toLowerCase() };
    if (name) traits.name = name;
    write(ACCOUNT, { userId: id, email: traits.email, name: name || (read(ACCOUNT, {}) || {}).name });
    var identify = function (proof) {
      attune('identify', id, traits, proof && proof.userId === id ? { userHash: proof.userHash } : undefined);
      if (then) then();
    };
    fetch('/demo/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: traits.email }) })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(identify, function () { identify(null); });
    return id;
  }

  function checkout() {
    var c = cart();
    summary(c.items);
    $$('[data-cart-subtotal]').forEach(function (el) { el.textContent = fmt(subtotal(c)); });
    var orderId = uid('LS-').toUpperCase();
    var products = c.items.map(function (i) { return productProps(i, { quantity: i.quantity }); });
    attune('track', 'Checkout Started', { order_id: orderId, cart_id: c.cart_id, value: subtotal(c), revenue: subtotal(c), currency: 'EUR', products: products });
    var form = $('#checkout-form'), acct = read(ACCOUNT, null);
    if (!form) return;
    if (acct) {
      if (acct.email && !form.email.value) form.email.value = acct.email;
      if (acct.name && !form.elements.name.value) form.elements.name.value = acct.name;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      try {
        var email = form.email.value, name = form.elements.name.value.trim();
        var total = subtotal(c), shipping = total >= 40 || !total ? 0 : 4.9;
        var completed = { order_id: orderId, checkout_id: orderId, cart_id: c.cart_id, total: round2(total + shipping), revenue: total, shipping: shipping, currency: 'EUR', products: products };
        // The order follows the identify, and the page leaves once both are handed to the network.
        var userId = signIn(email, name, function () {
          attune('track', 'Order Completed', completed);
          thenGo('/order/confirmed?order=' + encodeURIComponent(orderId));
        });
        var order = { id: orderId, userId: userId, email: email, at: new Date().toISOString(), items: c.items, total: round2(total + shipping) };
        write('lumen-last-order', order);
        write(ORDERS, [order].concat(read(ORDERS, [])).slice(0, 20));
        write(CART, null);
        showCount({ items: [] });
      } catch (err) { thenGo('/order/confirmed?order=' + encodeURIComponent(orderId)); /* the order page still shows */ }
    });
  }

  function confirmed() {
    var id = params.get('order'), order = read('lumen-last-order', null);
    if (!order || (id && order.id !== id)) order = (read(ORDERS, []) || []).filter(function (o) { return o.id === id; })[0] || null;
    var set = function (s, v) { var el = $(s); if (el) el.textContent = v; };
    set('[data-order-id]', id || (order && order.id) || '—');
    if (!order) return;
    set('[data-order-email]', order.email);
    set('[data-order-total]', fmt(order.total));
    summary(order.items);
  }

  function account() {
    var show = function () {
      var acct = read(ACCOUNT, null);
      var out = $('[data-signed-out]'), inn = $('[data-signed-in]');
      if (out) out.hidden = !!acct;
      if (inn) { inn.hidden = !acct; if (acct) inn.setAttribute('data-user-id', acct.userId); }
      if (!acct) return;
      var em = $('[data-account-email]');
      if (em) em.textContent = acct.email;
      var orders = (read(ORDERS, []) || []).filter(function (o) { return o.userId === acct.userId; });
      var ul = $('[data-orders]');
      if (ul) ul.innerHTML = orders.length ? orders.map(function (o) {
        return '<li><strong>' + esc(o.id) + '</strong> · ' + esc(o.at.slice(0, 10)) + ' · ' + fmt(o.total) + '<br><span class="muted">' + o.items.map(function (i) { return esc(i.name); }).join(', ') + '</span></li>';
      }).join('') : '<li class="muted">No orders on this device yet.</li>';
    };
    show();
    var form = $('#signin-form');
    if (form) form.addEventListener('submit', function (e) {
      e.preventDefault();
      try { signIn(form.email.value); } catch (err) { /* ignore */ }
      show();
    });
    var out = $('[data-sign-out]');
    if (out) out.addEventListener('click', function () {
      write(ACCOUNT, null);
      attune('reset');
      show();
    });
  }

  function quiz() {
    $$('attune-quiz').forEach(function (q) {
      q.addEventListener('attune-complete', function () {
        var done = $('[data-quiz-done]');
        if (done) done.hidden = false;
      });
    });
  }

  var pages = { product: product, category: category, search: search, cart: cartPage, checkout: checkout, confirmed: confirmed, account: account, quiz: quiz };
  try {
    showCount();
    var run = pages[document.body.getAttribute('data-page')];
    if (run) run();
  } catch (e) { /* never break the page */ }
  window.lumen = { customerId: customerId, cart: cart };
})();
