// The dashboard at /admin: the Worker's own static app (packages/dashboard), served as built, never through
// page personalization (HTMLRewriter would add an inline <style>), with headers that keep it from running
// any script but its own, being framed, leaking its URL or being cached.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../app-env.js';

/** Everything from this origin's files; nothing inline, nothing framed, no plugins, no <base> tricks. */
export const DASHBOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // uPlot and Preact set styles through the CSSOM (el.style.x = …), which style-src does not govern.
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const headers = secureHeaders({
  contentSecurityPolicy: DASHBOARD_CSP,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  xContentTypeOptions: 'nosniff',
  // HSTS is the operator's call for the whole host (includeSubDomains would reach the shop's subdomains).
  strictTransportSecurity: false,
});

/**
 * For /admin and /admin/*. In proxy mode (ORIGIN) these paths are the shop's own and pass through untouched,
 * as every other page does.
 */
export function dashboard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.env.ORIGIN) return next();
    return headers(c, async () => {
      const asset = await c.env.ASSETS.fetch(c.req.raw);
      const res = new Response(asset.body, asset); // the binding's headers are immutable
      // The HTML is a shell without data, but a stale one could outlive a fix to the app it loads.
      if ((res.headers.get('content-type') ?? '').startsWith('text/html')) res.headers.set('Cache-Control', 'no-store');
      c.res = res;
    });
  };
}
