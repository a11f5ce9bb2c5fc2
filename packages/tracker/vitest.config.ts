import { defineConfig } from 'vitest/config';
import { clockDefine } from '../../test/clock-define.js';

export default defineConfig({
  // The clock the suite starts on: the wall clock, or ATTUNE_TEST_CLOCK (test/clock.ts).
  define: clockDefine,
  test: {
    name: 'tracker',
    setupFiles: ['../../test/clock-setup.ts'],
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 0 },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
