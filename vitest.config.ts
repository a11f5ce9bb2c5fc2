// `npm test` runs every project: each package has its own vitest config (edge tests run inside workerd).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'packages/tracker/vitest.browser.config.ts', 'packages/widgets/vitest.browser.config.ts', 'packages/edge/vitest.node.config.ts'],
  },
});
