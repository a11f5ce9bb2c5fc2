// <attune-slot name="hero">: a dynamic content block.
// Filled by the edge: the widget only reads the data child and watches for the exposure — the nodes the
// edge sent stay exactly as they are (no re-render, no layout shift). Empty (a page the edge did not
// rewrite): it asks POST /v1/decide and renders the same markup as the edge would. What the page author
// put inside stays visible until then: nothing is hidden while waiting.
import type { DecideResponse, Decision } from '@attune/edge/contract';
import { slotMarkup, type SlotData } from '@attune/edge/contract/markup';
import { apiBase, attune, debug, emit, fetchJson, readData, whenSeen, writeKey } from './runtime.js';

export class AttuneSlot extends HTMLElement {
  static get observedAttributes() {
    return ['name'];
  }
  private declare stop?: () => void;
  private declare filled?: boolean;

  /** Set a decision directly (frameworks, tests): renders it without asking the edge. */
  set decision(d: Decision | null) {
    if (d) this.show(d, false);
  }

  connectedCallback() {
    try {
      if (readData<SlotData>(this)) this.hydrate();
      else if (!this.filled) void this.load();
    } catch (e) {
      debug(e);
    }
  }

  disconnectedCallback() {
    this.stop?.();
  }

  attributeChangedCallback(_: string, old: string | null) {
    // A new slot name on a live element asks again; the first value is handled by connectedCallback.
    if (old !== null && this.isConnected) void this.load();
  }

  private async load() {
    const name = this.getAttribute('name');
    if (!name) return;
    const r = await fetchJson<DecideResponse>(`${apiBase(this)}/v1/decide`, {
      writeKey: writeKey() || undefined,
      slots: [name],
      context: { page: { path: location.pathname, url: location.href } },
    });
    const d = r?.slots?.[name];
    if (d) this.show(d, r.preview);
  }

  private show(d: Decision, preview: boolean) {
    try {
      this.innerHTML = slotMarkup(d, { name: this.getAttribute('name') ?? '', preview, level: Number(this.getAttribute('level')) || 2 });
      this.filled = true;
      this.hydrate();
    } catch (e) {
      debug(e);
    }
  }

  /** Attaches behaviour to the markup in place: the exposure, once actually seen. */
  private hydrate() {
    this.stop?.();
    const data = readData<SlotData>(this);
    if (!data) return;
    data.slot ||= this.getAttribute('name') ?? '';
    emit(this, 'attune-slot', data);
    const x = data.exposure;
    if (!x || data.preview) return;
    this.stop = whenSeen(this, () =>
      attune('track', 'Experiment Viewed', { experiment_id: x.experiment_id, variant_id: x.variant_id, slot: data.slot, variant: data.variant }),
    );
  }
}
