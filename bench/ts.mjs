// Imports a TypeScript module from a bench: esbuild bundles it (with its imports) into a cached ESM file.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function importTs(entry) {
  const dir = `${root}node_modules/.cache/attune`;
  mkdirSync(dir, { recursive: true });
  const out = `${dir}/bench-${basename(entry).replace(/\W/g, '_')}.mjs`;
  await build({ entryPoints: [`${root}${entry}`], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return import(`${pathToFileURL(out).href}?t=${Date.now()}`);
}
