// `npm test` runs every project: each package has its own vitest config (edge tests run inside workerd).
// Projects run in groups, one group after another, so Chromium and `wrangler dev` never fight the
// unit suites for the machine's two cores: 0 unit and workerd, 1 tracker in Chromium, 2 widgets in
// Chromium, 3 edge suites that drive `wrangler dev` from Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'packages/tracker/vitest.browser.config.ts', 'packages/widgets/vitest.browser.config.ts', 'packages/edge/vitest.node.config.ts'],
  },
});
