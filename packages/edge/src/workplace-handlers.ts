// The workplace's handlers, shared by its Worker (workplace.ts) and the one-Worker composition (index.ts).
import type { Bindings } from './app-env.js';
import { consumeLog } from './log/consume.js';

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
