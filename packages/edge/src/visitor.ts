// The visitor Worker, what a deploy puts on the shop's hostname (wrangler.toml): every page view, event and decision,
// the profile writers (Durable Objects) and the static files. The marketer's paths go on to the workplace Worker
// over the WORKPLACE service binding (workplace-paths.ts, wrangler.workplace.toml), so neither isolate parses the
// other's code before its first request.
import type { Bindings } from './app-env.js';
import { loadSeed } from './seed.js';
import { createVisitorApp, type VisitorOptions } from './visitor-app.js';

export { ProfileWriter } from './profile/writer.js';

/**
 * The app is made on the isolate's first request, from the seed the build wrote (seed.ts). Requests arriving before
 * it is made each decode the seed themselves, the first to finish makes it: a request never waits on another's
 * stream, which workerd would cancel with that request.
 */
export function createVisitorWorker(options: VisitorOptions = {}) {
  let made: ReturnType<typeof createVisitorApp> | undefined;
  const ready = async () => {
    if (made) return made;
    const seed = await loadSeed();
    return (made ??= createVisitorApp(seed.config, seed.catalog, (request, env) => env.WORKPLACE.fetch(request), options));
  };
  return {
    async fetch(request, env, ctx) {
      return (await ready()).fetch(request, env, ctx);
    },
  } satisfies ExportedHandler<Bindings>;
}

export default createVisitorWorker();
