// The visitor Worker, what a deploy puts on the shop's hostname (wrangler.toml): every page view, event and decision,
// the profile writers (Durable Objects) and the static files. The marketer's paths go on to the workplace Worker
// over the WORKPLACE service binding (workplace-paths.ts, wrangler.workplace.toml), so neither isolate parses the
// other's code before its first request.
import type { Bindings } from './app-env.js';
import { loadSeed } from './seed.js';
import { createVisitorApp, type VisitorOptions } from './visitor-app.js';
import { onFirstUse } from './on-first-use.js';

export { ProfileWriter } from './profile/writer.js';

export function createVisitorWorker(options: VisitorOptions = {}) {
  const app = onFirstUse(async () => {
    const seed = await loadSeed();
    return createVisitorApp(seed.config, seed.catalog, (request, env) => env.WORKPLACE.fetch(request), options);
  });
  return {
    async fetch(request, env, ctx) {
      return (await app()).fetch(request, env, ctx);
    },
  } satisfies ExportedHandler<Bindings>;
}

export default createVisitorWorker();
