// `npm run size`: the size report, one row per bundle, with its brotli budget where it has one, and the Worker's
// rows (visitor and workplace) with their budgets in minified bytes, then what each is made of.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundles } from './build.mjs';
import { dashboardBundles } from '../packages/dashboard/build.mjs';
import { sizesOf } from './sizes.mjs';
import { workers, workerBundle } from './worker-size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rows = [...bundles, ...dashboardBundles]
  .filter((b) => existsSync(b.out))
  .map((b) => ({ bundle: relative(root, b.out), ...sizesOf(b.out), 'brotli budget': b.budgetBrotli ?? '', 'minified budget': '' }));
if (rows.length === 0) console.log('No browser bundles yet: run `npm run build` first.');
const made = [];
for (const w of workers) {
  const b = await workerBundle(w.entry);
  made.push({ ...w, bundle: b });
  rows.push({ bundle: `${w.name} Worker (${w.entry}, minified)`, raw: b.raw, gzip: b.gzip, brotli: b.brotli, 'brotli budget': '', 'minified budget': w.budgetMinified });
}
console.table(rows);
for (const { name, bundle } of made) {
  console.log(`The ${name} Worker's largest parts (minified bytes):`);
  console.table(bundle.parts.slice(0, 12).map(([part, bytes]) => ({ part, bytes, share: `${((100 * bytes) / bundle.raw).toFixed(1)}%` })));
}
const over = rows.filter((r) => (r['brotli budget'] && r.brotli > r['brotli budget']) || (r['minified budget'] && r.raw > r['minified budget']));
if (over.length) {
  console.error(`Over budget: ${over.map((r) => r.bundle).join(', ')}`);
  process.exitCode = 1;
}
