// The catalog the Worker serves, per site, following the config store's pattern (config/store.ts):
//  - the seed feed (the catalog the build puts among the static assets, seed.ts) is what a deploy brings;
//  - `PUT /v1/catalog` (admin; `npx attune catalog import <file> --to <url>`) stores a newer one in KV
//    without a deploy; it serves until a deploy brings a different seed.
// Each isolate holds the compiled catalog in memory and looks at a small version key in KV every few
// seconds; the full catalog (MBs for 5,000 products) is read and compiled only when the version changed,
// so a request pays a Map lookup, not a JSON parse.
import { compileCatalog, catalogVersion, type CompiledCatalog } from './compile.js';
import { parseFeed } from './feed.js';
import { catalogSchema, type Catalog } from '../contract/catalog.js';

const REFRESH_MS = 10_000;
const fullKey = (site: string) => `catalog:${site}`;
/** `<version> <seed version at the time>`: tells whether KV holds something newer than the deploy's seed. */
const versionKey = (site: string) => `catalog:${site}:version`;

let seed: { of: unknown; compiled: CompiledCatalog | null } | undefined;
const held = new Map<string, { compiled: CompiledCatalog | null; checkedAt: number }>();

function seedOf(bundled: unknown): CompiledCatalog | null {
  if (seed && seed.of === bundled) return seed.compiled;
  let compiled: CompiledCatalog | null = null;
  if (bundled !== undefined && bundled !== null) {
    const r = catalogSchema.safeParse(Array.isArray(bundled) ? { products: bundled } : bundled);
    if (r.success) compiled = compileCatalog(r.data);
    else console.error('attune: the bundled catalog is invalid; run `npx attune catalog import` on it to see why');
  }
  seed = { of: bundled, compiled };
  return compiled;
}

/** The catalog to serve for `site`, or null when there is none (no seed, nothing imported). */
export async function currentCatalog(kv: KVNamespace, site: string, bundled: unknown, now = Date.now()): Promise<CompiledCatalog | null> {
  const h = held.get(site);
  if (h && now - h.checkedAt < REFRESH_MS) return h.compiled;
  const fresh = seedOf(bundled);
  let compiled: CompiledCatalog | null = h?.compiled ?? fresh;
  try {
    const [version, seedVersion] = ((await kv.get(versionKey(site))) ?? '').split(' ');
    const imported = version && seedVersion === (fresh?.version ?? '-');
    if (!imported) compiled = fresh;
    else if (version !== h?.compiled?.version) {
      const stored = await kv.get<{ version: string; catalog: Catalog }>(fullKey(site), 'json');
      // Stored catalogs were validated on the way in; a mismatch means a write in progress: keep what we have.
      if (stored?.version === version) compiled = compileCatalog(stored.catalog, stored.version);
    }
  } catch (e) {
    console.error('attune: cannot read the stored catalog; serving the one held', e);
  }
  held.set(site, { compiled, checkedAt: now });
  return compiled;
}

export type SaveResult = { ok: true; version: string; products: number } | { ok: false; problems: ReturnType<typeof parseFeedProblems> };
const parseFeedProblems = (r: ReturnType<typeof parseFeed>) => (r.ok ? [] : r.problems);

/** Validates a feed (JSON text) and stores it for `site`; a broken one is refused and the current one stays. */
export async function saveCatalog(kv: KVNamespace, site: string, bundled: unknown, json: string): Promise<SaveResult> {
  const r = parseFeed(json, 'json');
  if (!r.ok) return { ok: false, problems: r.problems };
  const version = catalogVersion(r.catalog);
  // The full value first, then the version that points at it: a reader never sees a version without its data.
  await kv.put(fullKey(site), JSON.stringify({ version, catalog: r.catalog }));
  await kv.put(versionKey(site), `${version} ${seedOf(bundled)?.version ?? '-'}`);
  held.delete(site);
  return { ok: true, version, products: r.catalog.products.length };
}

/** For tests: forget what this isolate holds. */
export function forgetCatalog() {
  held.clear();
  seed = undefined;
}
