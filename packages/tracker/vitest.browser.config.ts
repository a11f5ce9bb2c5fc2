// The tracker's browser specs: real Chromium (Debian's, or CHROMIUM_PATH) through playwright-core,
// against a local test server standing in for the edge. `npm run build` first (npm test does).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tracker-browser',
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 1 },
    include: ['test/browser/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Chromium at a time: the machine has 2 cores and the fault specs depend on timing.
    fileParallelism: false,
  },
});
