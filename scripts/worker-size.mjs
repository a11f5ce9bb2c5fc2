// The Workers' weight: each entry bundled as `wrangler deploy` uploads it (wrangler.toml and wrangler.workplace.toml:
// minify, no kept names; wrangler's conditions workerd/worker/browser), measured in memory, with what its bytes are
// made of. Every isolate parses all of it before its first request. `npm run size` prints it; packages/edge/test/node/worker-size.test.ts
// holds it to the budget.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { sizesOfBytes } from './sizes.mjs';
import { workerBundleOptions } from '../packages/edge/scripts/dev-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export const workers = [
  {
    name: 'visitor',
    entry: 'packages/edge/src/visitor.ts',
    /**
     * Minified bytes; issue 22's goal. The one Worker was 705 KB at issue 22, 444 KB on zod/mini, never under the goal
     * while it held the marketer's half: the archive (hyparquet and hyparquet-writer, 106 KB), reports (44 KB), the
     * studio. The visitor Worker (every page view and event) holds none of it: 228,646 B when it was split off.
     */
    budgetMinified: 250_000,
  },
  {
    name: 'workplace',
    entry: 'packages/edge/src/workplace.ts',
    /** The marketer's half: 346,743 B when it was split off, with 4% to spare. No page view waits on its start. */
    budgetMinified: 360_000,
  },
];
/** The Worker on the page path, which issue 22 holds to 250 KB. */
export const worker = workers[0];

/** Which part of the Worker an input file belongs to: a package (zod split by what matters), the demo, or a folder of src. */
function partOf(path) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/.exec(path);
  if (pkg) {
    if (pkg[1] !== 'zod') return pkg[1];
    if (pkg[2].includes('/locales/') && !pkg[2].endsWith('/en.js')) return 'zod (locales other than en)';
    return /json-schema/.test(pkg[2]) ? 'zod (JSON Schema)' : 'zod';
  }
  if (path.startsWith('demo-site/')) return 'demo-site';
  const own = /^packages\/edge\/src\/([^/]+)/.exec(path);
  return own ? `src/${own[1].replace(/\.ts$/, '')}` : path;
}

/**
 * A Worker bundled and minified in memory: its sizes (raw = minified), its parts largest first, the files it holds.
 * @param {string} [entry] its entry, from the repository's root (the visitor Worker's by default)
 */
export async function workerBundle(entry = worker.entry) {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    ...workerBundleOptions(true),
    // The build's seed travels beside the script as data modules (wrangler.toml's [[rules]]): bytes no isolate parses.
    external: ['cloudflare:*', 'node:*', '*.json.gz'],
    write: false,
    metafile: true,
    outfile: 'worker.js',
  });
  const bytes = out.outputFiles[0].contents;
  // What reached the output: esbuild reads more (whole packages) than tree-shaking keeps.
  const inputs = Object.entries(Object.values(out.metafile.outputs)[0].inputs).filter(([, i]) => i.bytesInOutput > 0);
  const parts = new Map();
  for (const [path, { bytesInOutput }] of inputs) parts.set(partOf(path), (parts.get(partOf(path)) ?? 0) + bytesInOutput);
  return { ...sizesOfBytes(bytes), parts: [...parts].sort((a, b) => b[1] - a[1]), inputs: inputs.map(([path]) => path) };
}
