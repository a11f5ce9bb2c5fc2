// The demo store's visitor Worker for local runs (`npm start`, startDev in packages/edge/scripts/dev-server.mjs):
// the product's visitor Worker with the demo's stand-in for a shop backend mounted. Never deployed: wrangler.toml's
// `main` is the product's entry, which knows nothing of the demo. The workplace Worker runs beside it unchanged.
import type { Hono } from 'hono';
import type { AppEnv } from '../../packages/edge/src/app-env.js';
import { createVisitorWorker } from '../../packages/edge/src/visitor.js';
import { demoSignIn } from './sign-in.js';

export { ProfileWriter } from '../../packages/edge/src/visitor.js';

/** The demo's routes: POST /demo/sign-in proves a customer id for the demo site (development only, sign-in.ts). */
export const demoRoutes = (app: Hono<AppEnv>) => {
  app.post('/demo/sign-in', (c) => demoSignIn(c.req.raw, c.env, c.var.config.sites.find((s) => s.id === 'demo')));
};

export default createVisitorWorker({ extraRoutes: demoRoutes });
