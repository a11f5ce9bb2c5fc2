// The seed a deploy brings: the config and the catalog the build (scripts/build.mjs) writes to dist/seed/ as gzipped
// JSON. They travel as data modules of the upload (wrangler.toml's [[rules]]), so they are the build's data, not the
// Worker's code: the bundle holds no demo, no isolate parses them as script, and the Worker decodes them on its first
// request without any I/O (through the static assets, that read cost an isolate's first request 70–80 ms under
// `wrangler dev`). They are not among the static assets either, so no visitor can ask for the config, which names
// webhook URLs and experiment plans.
import config from '../../../dist/seed/attune.config.json.gz';
import catalog from '../../../dist/seed/catalog.json.gz';
import configSchema from '../../../dist/seed/config.schema.json.gz';

export interface Seed {
  /** The config JSON, or undefined (then only a config stored in KV serves). */
  config: unknown;
  /** The catalog feed, or undefined (then only an imported catalog serves). */
  catalog: unknown;
}

/** A seed file's bytes as JSON: gzip as the build writes it, or plain JSON; an error names the file otherwise. */
export async function seedJson(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>, name: string): Promise<unknown> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    const gzipped = view[0] === 0x1f && view[1] === 0x8b;
    const text = gzipped ? await new Response(new Blob([view]).stream().pipeThrough(new DecompressionStream('gzip'))).text() : new TextDecoder().decode(view);
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`attune: the seed ${name} is not JSON, gzipped or not (${(e as Error).message}): run \`npm run build\` again`);
  }
}

/** Both seeds, decoded. */
export async function loadSeed(): Promise<Seed> {
  const [c, k] = await Promise.all([seedJson(config, 'dist/seed/attune.config.json.gz'), seedJson(catalog, 'dist/seed/catalog.json.gz')]);
  return { config: c, catalog: k };
}

/** The config alone, for the workplace Worker, which has no catalog to serve. */
export const loadSeedConfig = (): Promise<unknown> => seedJson(config, 'dist/seed/attune.config.json.gz');

/** The config's JSON Schema as the build wrote it (attune.config.schema.json), as text: what the studio's forms read. */
export async function loadConfigSchema(): Promise<string> {
  return JSON.stringify(await seedJson(configSchema, 'dist/seed/config.schema.json.gz'));
}
