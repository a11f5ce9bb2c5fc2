// What the visitor's and the workplace's apps both put around their routes: one copy, so the two Workers cannot
// drift apart in how a request is read (bodies, the config, CORS) or in how an unknown path is answered.
import type { Context, Hono } from 'hono';
import type { AppEnv } from './app-env.js';
import type { ConfigStore } from './config/store.js';
import { validationOptions } from './config/validate.js';
import { cors } from './http/cors.js';
import { drainBody } from './http/drain-body.js';

/** The middleware before the routes: every body read or cancelled, the config on the request, CORS on the API. */
export function useBase(app: Hono<AppEnv>, store: ConfigStore) {
  app.use('*', drainBody()); // first: no answer leaves before its request's body is read or cancelled
  app.use('*', async (c, next) => {
    c.set('config', await store.current(c.env.PROFILES, Date.now(), validationOptions(c.env)));
    await next();
  });
  app.use('/v1/*', cors());
}

/** A path no route answers: 404 with the method and path in words. */
export const noRoute = (c: Context) => c.json({ success: false, error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404);
