// What every widget shares: the tracker's API (the only way widgets track), where the edge is, the
// JSON data child, CustomEvents for the host page, the "actually seen" observer and the base styles.
// Rule: nothing here throws into the host page; failures are swallowed (and logged under ?attune_debug).
import { BASE_CSS, DATA_SELECTOR } from '@attune/edge/contract/markup';

type Fn = (...a: any[]) => any;
interface AttuneLike {
  track?: Fn;
  answer?: Fn;
  ready?: Fn;
  consent?: { get?: Fn; set?: Fn; on?: Fn };
}

// Read on each call: the tracker replaces the snippet's stub when it loads.
const tracker = () => (globalThis as unknown as { attune?: AttuneLike }).attune;

export function debug(e: unknown) {
  try {
    if (/attune_debug/.test(location.search)) console.warn('[attune-widgets]', e);
  } catch {}
}

/** Wraps a callback so an error in it stays ours. */
export const safe =
  <A extends unknown[]>(fn: (...a: A) => unknown) =>
  (...a: A) => {
    try {
      return fn(...a);
    } catch (e) {
      debug(e);
    }
  };

/**
 * Calls the tracker (`window.attune`, the real API or the snippet's queueing stub alike). Widgets never
 * send anything themselves: consent, batching and retries are the tracker's.
 */
export function attune(method: 'track' | 'answer' | 'ready', ...args: unknown[]) {
  safe(() => tracker()?.[method]?.(...args))();
}

export const consentApi = () => tracker()?.consent;

// Captured while the bundle runs: the tracker injects it from the edge's origin, so that is the API's.
const self = (typeof document == 'object' ? document.currentScript : null) as HTMLScriptElement | null;

/** Base URL of the edge: the element's `api` attribute, the tracker tag's data-api, or where this bundle came from. */
export function apiBase(el: Element): string {
  const tag = document.querySelector<HTMLScriptElement>('script[data-write-key]');
  const base = el.getAttribute('api') ?? tag?.dataset.api ?? (self?.src ? new URL(self.src).origin : '');
  return base.replace(/\/$/, '');
}

export const writeKey = () => document.querySelector<HTMLScriptElement>('script[data-write-key]')?.dataset.writeKey ?? '';

/** GET or POST JSON from the edge; null on any failure (the widget then keeps what the page shows). */
export async function fetchJson<T>(url: string, body?: unknown): Promise<T | null> {
  try {
    const r = await fetch(
      url,
      body === undefined ? { credentials: 'same-origin' } : { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return r.ok ? ((await r.json()) as T) : null;
  } catch (e) {
    debug(e);
    return null;
  }
}

/** The JSON child the edge (or markup.ts in the browser) rendered, or null. */
export function readData<T>(el: Element, selector = DATA_SELECTOR): T | null {
  for (const c of Array.from(el.children))
    if (c.matches(selector))
      try {
        return JSON.parse(c.textContent || 'null') as T;
      } catch (e) {
        debug(e);
      }
  return null;
}

/** Dispatches a bubbling, composed CustomEvent on the element, for plain JS, React and Vue listeners. */
export function emit(el: Element, type: string, detail: unknown) {
  safe(() => el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true })))();
}

/**
 * "Mostly in view": half of the element is visible, or — for an element taller than the viewport, which
 * can never be half visible — it fills half of the viewport.
 */
export const mostlyInView = (ratio: number, visibleHeight: number, viewportHeight: number) =>
  ratio >= 0.5 || (viewportHeight > 0 && visibleHeight >= viewportHeight / 2);

/**
 * Calls `cb` once, when `el` has been mostly in view for `ms` without interruption (a scroll past does not
 * count as seen). Returns a function that stops watching.
 */
export function whenSeen(el: Element, cb: () => void, ms = 1000): () => void {
  if (typeof IntersectionObserver != 'function') return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(timer);
    io.disconnect();
  };
  const io = new IntersectionObserver(
    safe((entries: IntersectionObserverEntry[]) => {
      const e = entries[entries.length - 1]!;
      if (e.isIntersecting && mostlyInView(e.intersectionRatio, e.intersectionRect.height, e.rootBounds?.height ?? innerHeight)) {
        timer ??= setTimeout(safe(() => (stop(), cb())), ms);
      } else {
        clearTimeout(timer);
        timer = undefined;
      }
    }),
    { threshold: [0, 0.25, 0.5, 0.75, 1] },
  );
  io.observe(el);
  return stop;
}

/** Adds the base styles once, unless the edge already put them in <head> (then nothing changes). */
export function ensureStyles() {
  safe(() => {
    if (document.querySelector('style[data-attune-css]')) return;
    const s = document.createElement('style');
    s.setAttribute('data-attune-css', '');
    s.textContent = BASE_CSS;
    document.head.append(s);
  })();
}

let n = 0;
/** Unique ids for aria-labelledby within the page. */
export const uid = (p: string) => `attune-${p}-${++n}`;
