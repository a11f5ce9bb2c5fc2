// Pages: the demo site's static files, or — in proxy mode (the ORIGIN setting) — an existing site's pages
// fetched from its origin. HTML is personalized on the way through; everything else passes untouched.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { personalize } from './personalize.js';

const isHtml = (res: Response) => (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');

/** @param fetchOrigin how proxy mode reaches the origin (tests stand in for an existing site) */
export function pageRoutes(catalog: unknown, fetchOrigin: typeof fetch = fetch) {
  const app = new Hono<AppEnv>();
  app.all('*', async (c) => {
    let upstream: Response;
    if (c.env.ORIGIN) {
      const url = new URL(c.req.url);
      const target = new URL(url.pathname + url.search, c.env.ORIGIN);
      const headers = new Headers(c.req.raw.headers);
      headers.delete('host');
      // fetch() in a Worker decodes gzip and brotli, so HTMLRewriter reads text; the runtime re-encodes.
      upstream = await fetchOrigin(target, { method: c.req.method, headers, body: c.req.raw.body, redirect: 'manual' });
    } else upstream = await c.env.ASSETS.fetch(c.req.raw);
    if (!['GET', 'HEAD'].includes(c.req.method) || !upstream.ok || !isHtml(upstream)) return upstream;
    return personalize(c, upstream, catalog);
  });
  return app;
}
