// Worker tests run inside workerd with the real bindings of wrangler.toml (KV, Durable Objects, D1).
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
      // Secrets are not in wrangler.toml; tests use the development fallback token unless they set one.
      miniflare: { bindings: { ATTUNE_ENV: 'development' } },
    }),
  ],
  test: {
    name: 'edge',
    include: ['src/**/*.test.ts', 'test/worker/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
