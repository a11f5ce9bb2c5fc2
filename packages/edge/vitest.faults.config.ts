// The reliability suite (`npm run test:faults`, also run by .ci/run): faults injected on purpose into the
// browser, the Worker and its storage, a soak under load, and a security sweep. Each file starts its own
// local stack on loopback, is bounded in time and count, and stops by itself. Too slow for `npm test`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The security sweep and the hostile run import the Worker (src/index.ts) in Node to list its routes, and the
  // Worker imports the build's seed as data modules (dist/seed/*.json.gz): their bytes, as wrangler and startDev give them.
  plugins: [
    {
      name: 'seed-bytes',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.json.gz')) return null;
        return `export default Uint8Array.from(atob(${JSON.stringify(readFileSync(id).toString('base64'))}), (c) => c.charCodeAt(0));`;
      },
    },
  ],
  test: {
    name: 'faults',
    root: fileURLToPath(new URL('.', import.meta.url)),
    // Each file may start its own `wrangler dev` and Chromium: one at a time on a 2-core machine.
    fileParallelism: false,
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
