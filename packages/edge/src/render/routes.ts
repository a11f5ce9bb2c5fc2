// Pages: the demo site's static files, or — in proxy mode (the ORIGIN setting) — an existing site's pages
// fetched from its origin. HTML is personalized on the way through; everything else passes untouched.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { mergeCaching } from './cache-merge.js';
import { liveSources } from './page-sources.js';
import { personalize } from './personalize.js';
import { upstreamHeaders } from './upstream-headers.js';
import { upstreamUrl } from './upstream-url.js';

const isHtml = (res: Response) => (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');

// Cache rules some CDNs read instead of Cache-Control: the origin's would outlive the merged one.
const CDN_CACHE_HEADERS = ['CDN-Cache-Control', 'Cloudflare-CDN-Cache-Control', 'Surrogate-Control'];

/**
 * A personalized page from the origin is cached no more loosely than the origin allowed (Attune's policy
 * alone was made for its own pages).
 */
function boundByOrigin(res: Response, origin: Response, authorized: boolean): Response {
  const merged = mergeCaching({
    origin: origin.headers.get('cache-control'),
    attune: res.headers.get('cache-control') ?? '',
    vary: [res.headers.get('vary') ?? ''], // the origin's Vary and Attune's, both already on the answer
    setsCookie: res.headers.getSetCookie().length > 0,
    authorized,
  });
  res.headers.set('Cache-Control', merged.cacheControl);
  if (merged.vary.length) res.headers.set('Vary', merged.vary.join(', '));
  for (const h of CDN_CACHE_HEADERS) res.headers.delete(h);
  return res;
}

/** @param fetchOrigin how proxy mode reaches the origin (tests stand in for an existing site) */
export function pageRoutes(catalog: unknown, fetchOrigin: typeof fetch = fetch) {
  const app = new Hono<AppEnv>();
  app.all('*', async (c) => {
    if (!c.env.ORIGIN) {
      const asset = await c.env.ASSETS.fetch(c.req.raw);
      if (!['GET', 'HEAD'].includes(c.req.method) || !asset.ok || !isHtml(asset)) return asset;
      return personalize(c, asset, liveSources(c, catalog));
    }
    const target = upstreamUrl(c.req.url, c.env.ORIGIN);
    const body = c.req.raw.body;
    const headers = upstreamHeaders(c.req.raw, body !== null);
    // fetch() in a Worker decodes gzip and brotli, so HTMLRewriter reads text; the runtime re-encodes.
    const upstream = await fetchOrigin(target, { method: c.req.method, headers, body, redirect: 'manual' });
    if (!['GET', 'HEAD'].includes(c.req.method) || !upstream.ok || !isHtml(upstream)) return upstream;
    return boundByOrigin(await personalize(c, upstream, liveSources(c, catalog)), upstream, headers.has('authorization'));
  });
  return app;
}
