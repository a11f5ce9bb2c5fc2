// The Worker's budget is a test: every isolate parses the whole upload before its first request
// (scripts/worker-size.mjs bundles it as `wrangler deploy` does; `npm run size` shows what it is made of).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script
import { worker, workerBundle } from '../../../../scripts/worker-size.mjs';

describe('the Worker bundle (minified, as wrangler uploads it)', async () => {
  const w = await workerBundle();
  const parts = w.parts.slice(0, 8).map(([part, bytes]: [string, number]) => `${part} ${bytes}`).join(', ');

  it(`is at most ${worker.budgetMinified} bytes minified`, () => {
    expect(w.raw, `the Worker is ${w.raw} bytes minified, over its budget; its largest parts: ${parts}`).toBeLessThanOrEqual(worker.budgetMinified);
  });

  it('has a budget that holds it: within 10% of its size (tighten the budget when the Worker shrinks)', () => {
    expect(worker.budgetMinified, `the Worker is ${w.raw} bytes`).toBeLessThanOrEqual(Math.ceil(w.raw * 1.1));
  });

  it("carries zod/mini, not zod's classic API nor its JSON Schema code (src/contract/zod.ts)", () => {
    expect(w.inputs.filter((p: string) => /zod\/v4\/classic\/|json-schema/.test(p))).toEqual([]);
  });

  it("carries neither zod's translations nor the demo: its seed comes from the build (src/seed.ts)", () => {
    expect(w.inputs.filter((p: string) => /zod\/.*locales\/(?!en\.js)/.test(p))).toEqual([]);
    expect(w.inputs.filter((p: string) => p.startsWith('demo-site/'))).toEqual([]);
  });
});
