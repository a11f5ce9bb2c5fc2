// What the Workers' entries share (visitor.ts, workplace.ts, and the one-Worker composition index.ts): an app made
// on the isolate's first use, and the handlers of a Worker that runs the cron and consumes the log Queue.
import type { Bindings } from './app-env.js';
import { consumeLog } from './log/consume.js';

/**
 * The app made on the isolate's first request or cron, from the seed the build wrote (seed.ts). Requests arriving
 * before it is made each make their own, and the first to finish is kept: a request never waits on another's
 * stream, which workerd would cancel with that request.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: T | undefined;
  return async () => {
    if (made) return made;
    const fresh = await make();
    return (made ??= fresh);
  };
}

type App = {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => Response | Promise<Response>;
  scheduled: (controller: ScheduledController, env: Bindings) => Promise<void>;
};

/**
 * The workplace's handlers (its Worker's, and the one-Worker composition's): requests and the cron go to the app once
 * made; the log's consumer reads no config, so it does not wait for the seed.
 */
export function workplaceHandlers(app: () => Promise<App>) {
  return {
    async fetch(request, env, ctx) {
      return (await app()).fetch(request, env, ctx);
    },
    async scheduled(controller, env) {
      await (await app()).scheduled(controller, env);
    },
    queue: (batch, env) => consumeLog(batch, env),
  } satisfies ExportedHandler<Bindings>;
}
