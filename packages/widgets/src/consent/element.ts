// <attune-consent heading="…" text="…" policy-href="/privacy" [open]>: the consent banner as a custom
// element. It shows itself while the visitor has not chosen; `el.open()` (or the `open` attribute) shows
// it again to change the choice, e.g. from a "Privacy settings" link in the footer.
import { h } from 'preact';
import { PreactElement } from '../element.js';
import { Consent } from './Consent.js';

export class AttuneConsent extends PreactElement {
  static get observedAttributes() {
    return ['open', 'heading', 'text', 'policy-href', 'level'];
  }
  private declare closed?: boolean;
  private declare asked?: boolean;
  private declare n?: number;

  /** Shows the banner even after a choice, and moves focus into it. */
  open() {
    this.closed = false;
    this.asked = true;
    this.n = (this.n || 0) + 1; // a fresh banner: re-reads the current choice and focuses
    this.update();
  }

  override attributeChangedCallback(name?: string, _old?: string | null, now?: string | null) {
    if (name === 'open' && now !== null) this.closed = false;
    super.attributeChangedCallback();
  }

  protected view() {
    if (this.closed) return null;
    const a = (k: string) => this.getAttribute(k) ?? undefined;
    return h(Consent, {
      key: this.n,
      host: this,
      forced: this.asked || this.hasAttribute('open'),
      focus: !!this.asked,
      onClose: () => {
        this.closed = true;
        this.asked = false;
        this.removeAttribute('open');
        this.update();
      },
      heading: a('heading'),
      text: a('text'),
      policyHref: a('policy-href'),
      level: Number(a('level')) || 2,
    });
  }
}
