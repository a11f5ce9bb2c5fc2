// The seed a deploy brings: the config and the catalog the build (scripts/build.mjs) writes beside the static
// assets, under SEED_DIR. The Worker reads them through its ASSETS binding on an isolate's first request, so they
// are the build's data, not the Worker's code: the bundle holds no demo, and every isolate parses less before it
// answers. The config is admin data (webhook URLs, experiment plans): the Worker answers 404 for SEED_DIR before
// the static assets (wrangler.toml's `run_worker_first = true` sends every request to the Worker first).

export const SEED_DIR = '/_attune/';
/**
 * Gzipped JSON: the catalog gzips to a sixteenth, and a read of the assets costs by the byte (under `wrangler dev`
 * 97 KB of catalog added 100–300 ms to an isolate's first request, its 6 KB gzip nothing measurable).
 */
export const SEED_FILES = { config: `${SEED_DIR}seed/attune.config.json.gz`, catalog: `${SEED_DIR}seed/catalog.json.gz` } as const;

export interface Seed {
  /** The config JSON, or undefined when the build wrote none (then only a config stored in KV serves). */
  config: unknown;
  /** The catalog feed, or undefined (then only an imported catalog serves). */
  catalog: unknown;
}

/**
 * Whether a request path reaches the seed, however it is written: the static assets may decode `%5F`, resolve
 * dot segments, fold repeated slashes or match case-insensitively, so the test is made on the decoded path with
 * its segments resolved, lower-cased.
 */
export function isSeedPath(pathname: string): boolean {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: judge the raw path.
  }
  const segments: string[] = [];
  for (const s of path.split(/[\\/]+/)) {
    if (s === '..') segments.pop();
    else if (s && s !== '.') segments.push(s);
  }
  return `/${segments[0]?.toLowerCase()}/` === SEED_DIR;
}

async function read(assets: Fetcher, path: string): Promise<unknown> {
  const res = await assets.fetch(new Request(`https://assets.invalid${path}`));
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`attune: the seed ${path} could not be read from the static assets (${res.status})`);
  }
  // Gzip's magic bytes: the build writes gzip, and a runtime that decoded it on the way (Content-Encoding) hands
  // over plain JSON.
  const bytes = new Uint8Array(await res.arrayBuffer());
  try {
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const text = gzipped ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text() : new TextDecoder().decode(bytes);
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`attune: the seed ${path} is not JSON, gzipped or not (${(e as Error).message}): run \`npm run build\` again`);
  }
}

/** Both seeds, read in parallel. A missing config is logged: without one, only a config stored in KV can serve. */
export async function loadSeed(assets: Fetcher): Promise<Seed> {
  const [config, catalog] = await Promise.all([read(assets, SEED_FILES.config), read(assets, SEED_FILES.catalog)]);
  if (config === undefined) console.error(`attune: the static assets hold no seed config (${SEED_FILES.config}): run \`npm run build\`; only a config stored with PUT /v1/config can serve`);
  return { config, catalog };
}
