// Edge tests that need Node rather than workerd: the CLI, real Segment clients, driving `wrangler dev`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'edge-node',
    include: ['src/cli/**/*.test.ts', 'test/node/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
