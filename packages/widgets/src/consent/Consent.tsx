/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// (pragmas: the build passes esbuild its own tsconfig, without the repo's jsx settings)
// The consent banner: one choice per purpose, driving the tracker's consent API (which stores the
// choice, tells the edge and erases on withdrawal). Reject is as easy and as prominent as accept.
// It does not take focus when it appears on its own (that would hijack the page for keyboard users);
// opened on request (a "Privacy settings" link calling el.open()), it moves focus to itself.
import { Component } from 'preact';
import { attune, consentApi, emit, safe, uid } from '../runtime.js';

export interface Choice {
  analytics: boolean;
  personalization: boolean;
}

export interface ConsentProps {
  host: Element;
  /** Shown even if the visitor already chose (settings opened on request). */
  forced: boolean;
  /** Focus the banner when it opens (it was asked for). */
  focus: boolean;
  onClose: () => void;
  heading?: string;
  text?: string;
  policyHref?: string;
  level?: number;
}

const PURPOSES: [keyof Choice, string, string][] = [
  ['analytics', 'Analytics', 'Count visits and what is used, to improve the shop.'],
  ['personalization', 'Personalization', 'Remember what you look at and tell us, to show what fits you.'],
];

/** The tracker's current state; before it loads, nothing is decided and nothing granted. */
export function current(): Choice & { decided: boolean } {
  try {
    const s = consentApi()?.get?.();
    if (s && typeof s === 'object') return { analytics: !!s.analytics, personalization: !!s.personalization, decided: !!s.decided };
  } catch {}
  return { analytics: false, personalization: false, decided: false };
}

// A class, not hooks: preact/hooks would cost ~750 bytes brotli of a 10 KiB budget.
export class Consent extends Component<ConsentProps, Choice & { decided: boolean }> {
  private declare ids: { h: string; d: string };
  private declare root?: HTMLElement | null;
  private declare off?: unknown;

  constructor(p: ConsentProps) {
    super(p);
    this.state = current();
    this.ids = { h: uid('c'), d: uid('d') };
  }

  override componentDidMount() {
    safe(() => {
      if (this.props.focus) this.root?.querySelector<HTMLElement>('input')?.focus();
      const sync = safe(() => this.setState(current()));
      // Loaded before the tracker (the snippet's stub answers nothing): read the state once it is there.
      attune('ready', sync);
      // Follow changes made elsewhere (another tab, a consent platform, the page's own code).
      this.off = consentApi()?.on?.(sync);
    })();
  }

  override componentWillUnmount() {
    safe(() => typeof this.off == 'function' && this.off())();
  }

  private choose(c: Choice) {
    safe(() => {
      consentApi()?.set?.(c);
      emit(this.props.host, 'attune-consent', c);
      this.props.onClose();
    })();
  }

  render({ forced, heading, text, policyHref, level = 2 }: ConsentProps, state: Choice & { decided: boolean }) {
    if (state.decided && !forced) return null;
    const ids = this.ids;
    const H = `h${level}` as 'h2';
    return (
      <section ref={(r) => void (this.root = r)} class="attune-card attune-consent" aria-labelledby={ids.h} aria-describedby={ids.d}>
        <H id={ids.h}>{heading || 'Your privacy, your choice'}</H>
        <p id={ids.d}>
          {text || 'We use first-party data to measure the shop and, if you agree, to personalize what you see. Nothing is stored until you choose.'}
          {policyHref && /^(https?:|\/|\.)/i.test(policyHref) && (
            <>
              {' '}
              <a href={policyHref}>Privacy policy</a>
            </>
          )}
        </p>
        <fieldset>
          <legend>Choose what we may use</legend>
          {PURPOSES.map(([k, label, desc]) => (
            <label key={k}>
              <input type="checkbox" checked={state[k]} onChange={(e) => this.setState({ [k]: (e.target as HTMLInputElement).checked })} />{' '}
              <strong>{label}</strong> — {desc}
            </label>
          ))}
        </fieldset>
        <div class="attune-actions">
          <button type="button" class="attune-btn" onClick={() => this.choose({ analytics: false, personalization: false })}>
            Reject all
          </button>
          <button type="button" class="attune-btn attune-btn--ghost" onClick={() => this.choose({ analytics: state.analytics, personalization: state.personalization })}>
            Save choices
          </button>
          <button type="button" class="attune-btn" onClick={() => this.choose({ analytics: true, personalization: true })}>
            Accept all
          </button>
        </div>
      </section>
    );
  }
}
