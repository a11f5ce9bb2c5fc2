// Budgets are tests: the script tag is what every visitor of every customer downloads.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS build helpers
import { bundles } from '../../../scripts/build.mjs';
// @ts-expect-error plain JS build helpers
import { sizesOf } from '../../../scripts/sizes.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('bundle budgets (brotli, quality 11)', () => {
  for (const b of (bundles as { out: string; budgetBrotli?: number }[]).filter((x) => x.budgetBrotli)) {
    it(`${b.out.slice(root.length)} ≤ ${b.budgetBrotli} bytes`, () => {
      expect(existsSync(b.out), `${b.out} is missing: npm test builds it first`).toBe(true);
      expect(sizesOf(b.out).brotli).toBeLessThanOrEqual(b.budgetBrotli!);
    });
  }
  it('the script tag carries no worker code, zod or Preact; the widgets no worker code or zod', async () => {
    const { readFileSync } = await import('node:fs');
    const js = readFileSync(`${root}packages/tracker/dist/attune.js`, 'utf8');
    expect(js).not.toMatch(/zod|ZodError|preact|hono/i);
    const widgets = readFileSync(`${root}packages/widgets/dist/attune-widgets.js`, 'utf8');
    expect(widgets).not.toMatch(/ZodError|_zod|HTTPException|DurableObject|HTMLRewriter/);
  });
});
