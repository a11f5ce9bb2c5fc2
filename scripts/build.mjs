// Builds the browser bundles and assembles dist/site, the static assets the Worker serves.
// One file so `npm start`, `npm test` and CI build the same way.
import { build } from 'esbuild';
import { minify } from 'terser';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, relative } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tracker = `${root}packages/tracker`;
const version = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(`${tracker}/package.json`, 'utf8'))).version;

const common = {
  bundle: true,
  target: 'es2020',
  legalComments: 'none',
  define: { __ATTUNE_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  write: false,
  // tsconfig's `strict` would make esbuild prepend "use strict"; modules are strict anyway.
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
};
// esbuild bundles and lowers syntax; terser minifies, ~3% smaller than esbuild's minifier here,
// which matters for a script tag with a 3 KB budget.
const terserOptions = (module) => ({
  ecma: 2020,
  module,
  compress: { passes: 2, unsafe_arrows: true, pure_getters: true },
  mangle: true,
  format: { comments: false },
});

/**
 * V8's explicit compile hint: the functions of a script tag that runs them all at page load are compiled with
 * the script, on the streaming thread, instead of one by one on the main thread as each is first called
 * (about 60 lazy compiles, 2–4 ms of main-thread time for the tracker). Engines without it read a comment.
 */
const EAGER = '//# allFunctionsCalledOnLoad\n';

export const bundles = [
  { entry: `${tracker}/src/snippet.ts`, out: `${tracker}/dist/attune.js`, format: 'iife', budgetBrotli: 3072, banner: EAGER },
  { entry: `${tracker}/src/consent/bridge.ts`, out: `${tracker}/dist/attune-cmp.js`, format: 'iife', budgetBrotli: 512 },
  { entry: `${tracker}/src/index.ts`, out: `${tracker}/dist/attune.esm.js`, format: 'esm' },
  // iife: the tracker injects it as a classic script, whose document.currentScript tells where the edge is.
  { entry: `${root}packages/widgets/src/index.ts`, out: `${root}packages/widgets/dist/attune-widgets.js`, format: 'iife', budgetBrotli: 10240 },
];

async function bundle(b) {
  const out = await build({ ...common, entryPoints: [b.entry], outfile: b.out, format: b.format });
  const { code } = await minify(out.outputFiles[0].text, terserOptions(b.format === 'esm'));
  await mkdir(dirname(b.out), { recursive: true });
  await writeFile(b.out, (b.banner ?? '') + code);
}

/**
 * A broken config never reaches visitors: the build stops on it, with every problem listed. `dev`: a local
 * run (`npm start`), where webhooks may go to http://localhost as the Worker allows under ATTUNE_ENV=development.
 */
export async function checkConfig(file = `${root}demo-site/attune.config.json`, { dev = false } = {}) {
  const { loadCli } = await import('../packages/edge/bin/attune.mjs');
  const { validateFile, formatResult } = await loadCli();
  const result = await validateFile(file, { allowLocalWebhooks: dev });
  if (!result.ok) {
    console.error(formatResult(relative(root, file), result));
    throw new Error('the config has errors: fix them, or run `npx attune validate` to see them again');
  }
  return result;
}

/**
 * The seed a deploy brings (packages/edge/src/seed.ts): the config checked by the build and the catalog, as gzipped
 * JSON the Worker imports as data modules. Data of the build, so the Worker's bundle holds no demo; outside
 * dist/site, so no visitor can ask for the config.
 */
async function writeSeed() {
  const dir = `${root}dist/seed`;
  await mkdir(dir, { recursive: true });
  const gzip = async (from, to) => writeFile(`${dir}/${to}`, gzipSync(JSON.stringify(JSON.parse(await readFile(from, 'utf8'))), { level: 9 }));
  await gzip(`${root}demo-site/attune.config.json`, 'attune.config.json.gz');
  await gzip(`${root}demo-site/catalog/products.json`, 'catalog.json.gz');
}

export async function buildAll({ dev = false } = {}) {
  await checkConfig(undefined, { dev });
  await Promise.all(bundles.map(bundle));
  const site = `${root}dist/site`;
  await rm(site, { recursive: true, force: true });
  await mkdir(site, { recursive: true });
  await cp(`${root}demo-site/public`, site, { recursive: true });
  await writeSeed();
  // The store's pages (home, categories, one per product, cart, checkout…) from the catalog and one layout.
  const { buildPages } = await import('../demo-site/scripts/pages.mjs');
  await buildPages(site);
  await cp(`${tracker}/dist/attune.js`, `${site}/attune.js`);
  await cp(`${tracker}/dist/attune-cmp.js`, `${site}/attune-cmp.js`);
  const widgets = `${root}packages/widgets/dist/attune-widgets.js`;
  if (existsSync(widgets)) await cp(widgets, `${site}/attune-widgets.js`);
  // The dashboard at /admin (Preact + uPlot): JSX and a CSS bundle, so it builds itself.
  const { buildDashboard } = await import('../packages/dashboard/build.mjs');
  await buildDashboard(site);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildAll();
    console.log('built: config checked, tracker bundles, dist/site');
  } catch (e) {
    console.error(`build refused: ${e.message}`);
    process.exitCode = 1;
  }
}
