// Bundle sizes (raw, gzip, brotli) beside their brotli budgets, from the last `npm run build`.
// The budgets themselves are tests (packages/tracker/test/size.test.ts); this row puts them in the table.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { bundles, buildAll } from '../scripts/build.mjs';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { sizesOf } from '../scripts/sizes.mjs';

export const name = 'size';

export async function run() {
  if (!bundles.every((b) => existsSync(b.out))) await buildAll();
  return bundles.map((b) => ({ bench: name, scenario: relative(root, b.out), ...sizesOf(b.out), budgetBrotli: b.budgetBrotli ?? '', withinBudget: b.budgetBrotli ? sizesOf(b.out).brotli <= b.budgetBrotli : '' }));
}
