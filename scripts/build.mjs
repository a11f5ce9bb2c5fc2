// Builds the browser bundles and assembles dist/site, the static assets the Worker serves.
// One file so `npm start`, `npm test` and CI build the same way.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tracker = `${root}packages/tracker`;
const version = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(`${tracker}/package.json`, 'utf8'))).version;

const common = {
  bundle: true,
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  define: { __ATTUNE_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
};

export const bundles = [
  { entry: `${tracker}/src/snippet.ts`, out: `${tracker}/dist/attune.js`, format: 'iife', budgetBrotli: 3072 },
  { entry: `${tracker}/src/index.ts`, out: `${tracker}/dist/attune.esm.js`, format: 'esm' },
];

export async function buildAll() {
  await Promise.all(
    bundles.map((b) => build({ ...common, entryPoints: [b.entry], outfile: b.out, format: b.format })),
  );
  const site = `${root}dist/site`;
  await rm(site, { recursive: true, force: true });
  await mkdir(site, { recursive: true });
  await cp(`${root}demo-site/public`, site, { recursive: true });
  await cp(`${tracker}/dist/attune.js`, `${site}/attune.js`);
  const widgets = `${root}packages/widgets/dist/attune-widgets.js`;
  if (existsSync(widgets)) await cp(widgets, `${site}/attune-widgets.js`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
  console.log('built: tracker bundles, dist/site');
}
