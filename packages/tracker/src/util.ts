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
 * Settles `ms` after the page has loaded: when the tracker's storage and network start, so that neither competes
 * with the page's own start or what it does right after loading. On a page still loading a second after the tracker
 * started, `ms` after that second: its events must not wait in memory long (only stored do they survive the tab
 * being closed). (requestIdleCallback would be kinder still, but its fallback for Safari does not fit the byte budget.)
 */
export const afterLoad = (ms: number) =>
  new Promise((go) => {
    addEventListener('load', () => setTimeout(go, ms));
    setTimeout(go, ms + (document.readyState == 'complete' ? 0 : 1e3));
  });

/** UTF-8 bytes. Not `new Blob([s]).size`: each Blob is registered with the browser process (~0.5–3 ms on the main thread). */
export const byteLength = (s: string) => new TextEncoder().encode(s).length;
