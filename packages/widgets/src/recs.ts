// <attune-recs strategy="for-you" limit="8" item="sku-1" heading="…">: a row/grid of recommended products.
// Filled by the edge: hydrated in place (same nodes, no layout shift). Empty: GET /v1/recommendations and
// render the same markup as the edge. Tracks `Product List Viewed` once the list is actually seen and
// `Product Clicked` with position and strategy — through the tracker; nothing for previews.
import { recsMarkup, type RecsData } from '@attune/edge/contract/markup';
import { apiBase, attune, debug, emit, fetchJson, readData, safe, whenSeen, writeKey } from './runtime.js';

/** The edge's answer; items may be `{product, reason}` (the API) or flat product cards. */
interface RecsResponse {
  strategy?: string;
  items?: unknown[];
}

export class AttuneRecs extends HTMLElement {
  // Getters and `declare` fields: class fields would each cost a defineProperty helper in the bundle.
  static get observedAttributes() {
    return ['strategy', 'limit', 'item', 'category'];
  }
  private declare stop?: () => void;
  private declare data?: RecsData | null;
  private declare listening?: boolean;

  /** Set items directly (frameworks, tests): renders them without asking the edge. */
  set items(items: unknown[] | null) {
    if (Array.isArray(items)) this.show(items, this.getAttribute('strategy') ?? '');
  }

  connectedCallback() {
    try {
      if (!this.listening) {
        // One delegated listener: survives re-renders and costs nothing per card.
        this.addEventListener('click', safe((e: Event) => this.clicked(e)));
        this.listening = true;
      }
      if (readData<RecsData>(this)) this.hydrate();
      else if (!this.data) void this.load();
    } catch (e) {
      debug(e);
    }
  }

  disconnectedCallback() {
    this.stop?.();
  }

  attributeChangedCallback(_: string, old: string | null, now: string | null) {
    if (old !== null && old !== now && this.isConnected) void this.load();
  }

  private async load() {
    const strategy = this.getAttribute('strategy') || 'for-you';
    const q = new URLSearchParams({ strategy });
    for (const k of ['limit', 'item', 'category']) {
      const v = this.getAttribute(k);
      if (v) q.set(k, v);
    }
    const key = writeKey();
    if (key) q.set('writeKey', key);
    const r = await fetchJson<RecsResponse>(`${apiBase(this)}/v1/recommendations?${q}`);
    if (r && Array.isArray(r.items)) this.show(r.items, r.strategy || strategy);
  }

  private show(items: unknown[], strategy: string) {
    try {
      const limit = Number(this.getAttribute('limit')) || Infinity;
      this.innerHTML = recsMarkup(items.slice(0, limit), strategy, {
        heading: this.getAttribute('heading') ?? undefined,
        label: this.getAttribute('label') ?? undefined,
        listId: this.getAttribute('list-id') ?? undefined,
        level: Number(this.getAttribute('level')) || 2,
        locale: document.documentElement.lang || undefined,
      });
      this.hydrate();
    } catch (e) {
      debug(e);
    }
  }

  private hydrate() {
    this.stop?.();
    const data = (this.data = readData<RecsData>(this));
    if (!data) return;
    emit(this, 'attune-recs', data);
    if (data.preview || !data.items.length) return;
    this.stop = whenSeen(this, () =>
      attune('track', 'Product List Viewed', {
        list_id: data.list_id,
        strategy: data.strategy,
        products: data.items.map(product),
      }),
    );
  }

  private clicked(e: Event) {
    const data = this.data;
    const li = (e.target as Element | null)?.closest?.('a')?.closest('[data-position]');
    if (!data || !li || !this.contains(li) || data.preview) return;
    const p = data.items[Number(li.getAttribute('data-position')) - 1];
    if (!p) return;
    attune('track', 'Product Clicked', { ...product(p), list_id: data.list_id, strategy: data.strategy });
    emit(this, 'attune-product-click', { ...p, strategy: data.strategy });
  }
}

/** Segment e-commerce spec's product fields. */
const product = (p: RecsData['items'][number]) => ({
  product_id: p.id,
  name: p.name,
  price: p.price,
  currency: p.currency,
  position: p.position,
  url: p.url,
});
