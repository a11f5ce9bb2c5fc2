// Edge tests that need Node rather than workerd: the CLI, real Segment clients, driving `wrangler dev`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'edge-node',
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 3 },
    // Each file may start its own `wrangler dev`: one at a time on a 2-core machine.
    fileParallelism: false,
    include: ['src/cli/**/*.test.ts', 'test/node/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
