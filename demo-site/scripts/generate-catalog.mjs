#!/usr/bin/env node
// Writes the demo catalog: demo-site/catalog/products.json and demo-site/public/img/products/*.svg.
// Deterministic (seeded), so running it again changes nothing unless catalog.ts changed.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const site = fileURLToPath(new URL('..', import.meta.url));
const out = `${tmpdir()}/attune-demo-catalog-${process.pid}.mjs`;
await build({ entryPoints: [`${site}scripts/catalog.ts`], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
const { generateDemoCatalog } = await import(pathToFileURL(out).href);
rmSync(out);

const { products, images } = generateDemoCatalog();
mkdirSync(`${site}catalog`, { recursive: true });
writeFileSync(`${site}catalog/products.json`, `${JSON.stringify({ products }, null, 1)}\n`);
const dir = `${site}public/img/products`;
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.svg') && !images.has(f)) rmSync(`${dir}/${f}`);
for (const [name, text] of images) writeFileSync(`${dir}/${name}`, text);
console.log(`wrote ${products.length} products to demo-site/catalog/products.json and ${images.size} images to demo-site/public/img/products/`);
