// Recommendation quality (hit-rate@8, NDCG@8 per strategy vs popular, bought-together precision) and serving
// CPU time with 5,000 products. The logic is bench/recs.ts (TypeScript, shared with its test); esbuild
// bundles it here so `npm run bench` needs no TS loader. Alone: `npm run bench -- recs`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const name = 'recs';

export async function run() {
  const out = `${tmpdir()}/attune-bench-recs-${process.pid}.mjs`;
  await build({ entryPoints: [fileURLToPath(new URL('recs.ts', import.meta.url))], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
  try {
    const { runRecsBenchmark } = await import(pathToFileURL(out).href);
    return runRecsBenchmark();
  } finally {
    rmSync(out, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.table(await run());
