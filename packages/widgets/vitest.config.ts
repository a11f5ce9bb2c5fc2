import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'widgets',
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 0 },
    include: ['src/**/*.test.ts', 'test/*.test.ts'],
    environment: 'node',
  },
});
