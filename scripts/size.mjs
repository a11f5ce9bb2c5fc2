// `npm run size`: the size report, one row per bundle, with its brotli budget where it has one.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundles } from './build.mjs';
import { sizesOf } from './sizes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rows = bundles
  .filter((b) => existsSync(b.out))
  .map((b) => ({ bundle: relative(root, b.out), ...sizesOf(b.out), 'brotli budget': b.budgetBrotli ?? '' }));
if (rows.length === 0) console.log('No bundles yet: run `npm run build` first.');
else console.table(rows);
const over = rows.filter((r) => r['brotli budget'] && r.brotli > r['brotli budget']);
if (over.length) {
  console.error(`Over budget: ${over.map((r) => r.bundle).join(', ')}`);
  process.exitCode = 1;
}
