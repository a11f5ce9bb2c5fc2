// The widgets' browser specs: real Chromium (Debian's, or CHROMIUM_PATH) via playwright-core against a
// stand-in edge. `npm run build` first (npm test does).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'widgets-browser',
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 2 },
    include: ['test/browser/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Chromium at a time: the machine has 2 cores and the exposure specs depend on timing.
    fileParallelism: false,
  },
});
