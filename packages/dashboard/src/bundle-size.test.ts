// The dashboard's budget is a test, as the script tag's and the Worker's are: `npm run size` prints the same rows.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS build helpers
import { dashboardBundles } from '../build.mjs';
// @ts-expect-error plain JS build helpers
import { sizesOf } from '../../../scripts/sizes.mjs';

describe('dashboard bundle budgets (brotli, quality 11)', () => {
  for (const b of dashboardBundles as { out: string; budgetBrotli: number }[]) {
    it(`${b.out.replace(/.*\/dist\//, 'dist/')} ≤ ${b.budgetBrotli} bytes`, () => {
      expect(existsSync(b.out), `${b.out} is missing: npm test builds it first`).toBe(true);
      const { brotli } = sizesOf(b.out) as { brotli: number };
      expect(brotli, `${b.out} is ${brotli} bytes brotli`).toBeLessThanOrEqual(b.budgetBrotli);
    });
  }
  it('carries no zod, Worker or router code: the studio imports the contract\'s types only', () => {
    const js = readFileSync((dashboardBundles as { out: string }[])[0]!.out, 'utf8');
    expect(js).not.toMatch(/ZodError|_zod|HTTPException|DurableObject|HTMLRewriter/);
  });
});
