// The dashboard's pure tests (components rendered to text, no DOM); the page itself is tested in Chromium
// against `wrangler dev` (packages/edge/test/node/dashboard.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dashboard',
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 0 },
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
