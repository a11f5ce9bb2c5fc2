// Types for pages.mjs, so the TypeScript tests can import it.
export function loadCatalog(): Promise<{ id: string; name: string; price: number; categories: string[]; url: string; image: string }[]>;
export function describe(p: unknown): string;
/** Writes every page and /catalog.json into outDir; returns the paths written (relative to outDir). */
export function buildPages(outDir: string, products?: unknown[]): Promise<string[]>;
