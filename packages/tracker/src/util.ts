// Small helpers shared by the tracker's modules.

export const now = () => Date.now();
export const iso = () => new Date().toJSON();

/** A random UUID (122 random bits); outside secure contexts, where randomUUID is missing, 128 random bits. */
export const uuid = (): string => crypto.randomUUID?.() ?? crypto.getRandomValues(new Uint32Array(4)).join('-');

export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** console.debug is hidden at the default log level: it is there for a developer who looks. */
export const debug = (...args: unknown[]) => console.debug('[attune]', ...args);
export const warn = (...args: unknown[]) => console.warn('[attune]', ...args);

/** Wraps a public function so that nothing it does can throw into the host page. */
export const guard =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch (e) {
      debug(e);
    }
  };

/**
 * Settles once the page has loaded, in a task of its own: when the tracker's storage starts (its network a batch's
 * time later), so that neither competes with the page's own start. On a page still loading a second after the tracker
 * started, then: its events must not wait in memory long (only stored do they survive the tab being closed).
 * (requestIdleCallback would be kinder still, but its fallback for Safari does not fit the byte budget.)
 */
export const afterLoad = () =>
  new Promise((go) => {
    addEventListener('load', () => setTimeout(go));
    setTimeout(go, document.readyState == 'complete' ? 0 : 1e3);
  });

export const sleep = (ms: number) => new Promise((go) => setTimeout(go, ms));

/** UTF-8 bytes. Not `new Blob([s]).size`: each Blob is registered with the browser process (~0.5–3 ms on the main thread). */
export const byteLength = (s: string) => new TextEncoder().encode(s).length;
