// The workplace Worker (wrangler.workplace.toml): the marketer's API, which the visitor Worker hands on
// (workplace-paths.ts), the nightly cron and the event log's Queue consumer. No route of it is on the page path.
import type { Bindings } from './app-env.js';
import { consumeLog } from './log/consume.js';
import { loadConfigSchema, loadSeedConfig } from './seed.js';
import { createWorkplaceApp } from './workplace-app.js';

/** Made on the isolate's first request or cron, from the seed's config (as the visitor Worker makes its app). */
export function createWorkplaceWorker() {
  let made: ReturnType<typeof createWorkplaceApp> | undefined;
  const ready = async () => made ?? (made ??= createWorkplaceApp(await loadSeedConfig(), loadConfigSchema));
  return {
    async fetch(request, env, ctx) {
      return (await ready()).fetch(request, env, ctx);
    },
    async scheduled(controller, env) {
      await (await ready()).scheduled(controller, env);
    },
    // The log's consumer reads no config: it does not wait for the seed.
    queue: (batch, env) => consumeLog(batch, env),
  } satisfies ExportedHandler<Bindings>;
}

export default createWorkplaceWorker();
