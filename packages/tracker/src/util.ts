// Small helpers shared by the tracker's modules.

export const now = () => Date.now();
export const iso = () => new Date().toISOString();

/** A random UUID (122 random bits); outside secure contexts, where randomUUID is missing, 128 random bits. */
export const uuid = (): string => crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('-');

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

export const byteLength = (s: string) => new Blob([s]).size;
