// The workplace Worker (wrangler.workplace.toml): the marketer's API, which the visitor Worker hands on
// (workplace-paths.ts), the nightly cron and the event log's Queue consumer. No route of it is on the page path.
import { loadConfigSchema, loadSeedConfig } from './seed.js';
import { onFirstUse } from './on-first-use.js';
import { workplaceHandlers } from './workplace-handlers.js';
import { createWorkplaceApp } from './workplace-app.js';

/** Made on the isolate's first request or cron, from the seed's config (as the visitor Worker makes its app). */
export const createWorkplaceWorker = () => workplaceHandlers(onFirstUse(async () => createWorkplaceApp(await loadSeedConfig(), loadConfigSchema)));

export default createWorkplaceWorker();
