// Small helpers shared by the tracker's modules.

export const now = () => Date.now();
export const iso = () => new Date().toISOString();

/** A random UUID v4 (122 random bits); crypto.randomUUID needs a secure context, this does not. */
export const uuid = (): string =>
  crypto.randomUUID
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
        (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
      );

export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

let debugOn = false;
export const setDebug = (on: boolean) => {
  debugOn = on;
};
export const debug = (...args: unknown[]) => {
  if (debugOn) console.debug('[attune]', ...args);
};
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

/** localStorage that never throws (disabled storage, Safari private mode, quota). */
export const store = {
  get(k: string): string | null {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set(k: string, v: string | null) {
    try {
      v == null ? localStorage.removeItem(k) : localStorage.setItem(k, v);
    } catch {}
  },
};

export const byteLength = (s: string) => new Blob([s]).size;
