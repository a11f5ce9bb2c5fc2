#!/usr/bin/env node
// The `attune` CLI. Its source is TypeScript (src/cli); esbuild bundles it on first use and whenever the
// source is newer, so `npx attune` works right after `npm install`, with no build step.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const out = `${pkg}node_modules/.cache/attune/cli.mjs`;

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = `${dir}/${e.name}`;
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

export async function loadCli() {
  let fresh = false;
  try {
    fresh = statSync(out).mtimeMs >= newest(`${pkg}src`);
  } catch {}
  if (!fresh) {
    mkdirSync(`${pkg}node_modules/.cache/attune`, { recursive: true });
    await build({ entryPoints: [`${pkg}src/cli/main.ts`], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  }
  return import(`${pathToFileURL(out).href}?t=${statSync(out).mtimeMs}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  const { main } = await loadCli();
  process.exitCode = await main(process.argv.slice(2));
}
