// Worker tests run inside workerd with the real bindings of wrangler.toml (KV, Durable Objects, D1).
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { clockDefine } from '../../test/clock-define.js';

export default defineConfig({
  plugins: [
    cloudflareTest({
      // Both halves in one Worker (src/index.ts): every route is one SELF away. The visitor's bindings come from
      // wrangler.toml; the workplace's own (its archive) and a stand-in for the binding between them are below.
      main: './src/index.ts',
      wrangler: { configPath: '../../wrangler.toml' },
      // Secrets are not in wrangler.toml; tests use the development fallback token unless they set one.
      // ATTUNE_WEBHOOK_SECRET: the demo config's triggers sign with it (a test key, like .dev.vars locally).
      // The log Queue hands each message to its consumer at once (wrangler.toml waits up to a second to fill a
      // batch): tests wait for the consumer (logSettled), not for the batch window.
      miniflare: {
        bindings: { ATTUNE_ENV: 'development', ATTUNE_WEBHOOK_SECRET: 'test-webhook-secret' },
        r2Buckets: ['ARCHIVE'],
        // The one-Worker composition hands the workplace's paths over in process; nothing calls this.
        serviceBindings: { WORKPLACE: () => new Response('the pool runs both halves in one Worker (src/index.ts)', { status: 500 }) },
        queueConsumers: { 'attune-log': { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: 'attune-log-dead' } },
      },
    }),
  ],
  // The clock the suite starts on: the wall clock, or ATTUNE_TEST_CLOCK (test/clock.ts).
  define: clockDefine,
  test: {
    name: 'edge',
    setupFiles: ['../../test/clock-setup.ts', 'test/worker/alarm-clock.ts'],
    // `npm test` runs the groups in order (see the root vitest.config.ts).
    sequence: { groupOrder: 0 },
    include: ['src/**/*.test.ts', 'test/worker/**/*.test.ts'],
    // The CLI is Node code (files, processes): its tests run in the edge-node project.
    exclude: ['src/cli/**'],
    testTimeout: 30_000,
  },
});
