// A tiny custom-element wrapper for the Preact widgets (quiz, survey, consent). Chosen over
// preact-custom-element: light DOM only (page CSS and the shared base sheet apply; no shadow root to
// pierce), attributes re-render, properties carry objects, and every callback is guarded so an error
// never reaches the host page — in ~30 lines instead of a dependency.
import { Component, h, render, type ComponentChildren, type VNode } from 'preact';
import { debug } from './runtime.js';

/** Renders nothing instead of breaking the page when a widget fails while rendering. */
class Guard extends Component<{ children: ComponentChildren }, { failed?: boolean }> {
  override componentDidCatch(e: unknown) {
    debug(e);
    this.setState({ failed: true });
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

export abstract class PreactElement extends HTMLElement {
  /** What the element shows now; null renders nothing. */
  protected abstract view(): VNode<any> | null;
  private declare mounted?: boolean;

  connectedCallback() {
    this.update();
  }

  disconnectedCallback() {
    try {
      if (this.mounted) render(null, this);
      this.mounted = false;
    } catch (e) {
      debug(e);
    }
  }

  attributeChangedCallback() {
    if (this.isConnected) this.update();
  }

  protected update() {
    try {
      const v = this.view();
      if (!v && !this.mounted) return; // leave the page author's fallback content until there is something to show
      // The first render replaces the fallback content; Preact then owns the children.
      if (!this.mounted) this.replaceChildren();
      this.mounted = true;
      render(h(Guard, null, v), this);
    } catch (e) {
      debug(e);
    }
  }
}
