// The Worker's weight: its entry bundled as `wrangler deploy` uploads it (wrangler.toml: minify, no kept names;
// wrangler's conditions workerd/worker/browser), measured in memory, with what its bytes are made of. Every isolate
// parses all of it before its first request. `npm run size` prints it; packages/edge/test/node/worker-size.test.ts
// holds it to the budget.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { sizesOfBytes } from './sizes.mjs';
import { workerBundleOptions } from '../packages/edge/scripts/dev-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export const worker = {
  entry: 'packages/edge/src/index.ts',
  /**
   * Minified bytes. The goal was 250 KB, out of reach while the Worker holds its archive (hyparquet and
   * hyparquet-writer, 106 KB), hono (26 KB), zod's core (42 KB) and its own code. 466 KB at issue 22's item 9; the
   * marketer's studio behind it (versions, drafts, diff, accounts, audit, draft previews, schedules in time zones)
   * brought it to 507 KB; the contract on zod/mini (src/contract/zod.ts: no classic methods, no JSON Schema code)
   * to 444 KB. This is that with 3.5% to spare. What the bytes cost a fresh isolate: `npm run bench -- startup`
   * (this tree against the commit before zod/mini) and `npm run bench -- isolate` (readable against minified).
   */
  budgetMinified: 460_000,
};

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

/** The Worker bundled and minified in memory: its sizes (raw = minified), its parts largest first, the files it holds. */
export async function workerBundle() {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [worker.entry],
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
