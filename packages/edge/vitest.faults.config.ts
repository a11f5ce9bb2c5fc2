// The reliability suite (`npm run test:faults`, also run by .ci/run): faults injected on purpose into the
// browser, the Worker and its storage, a soak under load, and a security sweep. Each file starts its own
// local stack on loopback, is bounded in time and count, and stops by itself. Too slow for `npm test`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
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
