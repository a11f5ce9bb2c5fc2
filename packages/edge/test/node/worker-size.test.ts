// The Workers' budgets are tests: every isolate parses its whole upload before its first request
// (scripts/worker-size.mjs bundles each as `wrangler deploy` does; `npm run size` shows what they are made of).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script
import { workers, workerBundle } from '../../../../scripts/worker-size.mjs';

type Bundle = { raw: number; parts: [string, number][]; inputs: string[] };

describe.each(workers as { name: string; entry: string; budgetMinified: number }[])('the $name Worker (minified, as wrangler uploads it)', async ({ name, entry, budgetMinified }) => {
  const w: Bundle = await workerBundle(entry);
  const parts = w.parts.slice(0, 8).map(([part, bytes]) => `${part} ${bytes}`).join(', ');

  it(`is at most ${budgetMinified} bytes minified`, () => {
    expect(w.raw, `the ${name} Worker is ${w.raw} bytes minified, over its budget; its largest parts: ${parts}`).toBeLessThanOrEqual(budgetMinified);
  });

  it('has a budget that holds it: within 10% of its size (tighten the budget when the Worker shrinks)', () => {
    expect(budgetMinified, `the ${name} Worker is ${w.raw} bytes`).toBeLessThanOrEqual(Math.ceil(w.raw * 1.1));
  });

  it("carries zod/mini, not zod's classic API nor its JSON Schema code (src/contract/zod.ts)", () => {
    expect(w.inputs.filter((p) => /zod\/v4\/classic\/|json-schema/.test(p))).toEqual([]);
  });

  it("carries neither zod's translations nor the demo: its seed comes from the build (src/seed.ts)", () => {
    expect(w.inputs.filter((p) => /zod\/.*locales\/(?!en\.js)/.test(p))).toEqual([]);
    expect(w.inputs.filter((p) => p.startsWith('demo-site/'))).toEqual([]);
  });
});

describe('the split between them', async () => {
  const [visitor, workplace] = (await Promise.all((workers as { entry: string }[]).map((w) => workerBundle(w.entry)))) as [Bundle, Bundle];
  const has = (b: Bundle, re: RegExp) => b.inputs.filter((p) => re.test(p));

  // The profile writers' erase marks the archive's days to rewrite (archive/tombstones.ts, in D1): that part stays.
  it("keeps the marketer's half off the page path: no reports, archive, studio or Parquet in the visitor Worker", () => {
    expect(has(visitor, /src\/reports\/|src\/archive\/(?!tombstones|d1-schema)|hyparquet|src\/config\/(drafts|versions|publish|diff)|src\/admin\/(session-routes|account-routes|archive-routes|routes)\./)).toEqual([]);
  });

  it('keeps the page path out of the workplace: no ingest, decide or pages', () => {
    expect(has(workplace, /src\/(ingest\/routes|decide\/|render\/|consent\/)/)).toEqual([]);
  });
});
