// CORS for /v1/*: only origins some site allows (the site-specific check happens once the write key is
// known), with credentials so the consent cookie can be set, and Retry-After readable by the tracker.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { originAllowed } from './site.js';

export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = !!origin && originAllowed(c, origin, undefined, c.var.config.sites);
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.json({ success: false, error: `origin ${origin ?? '(none)'} is not allowed` }, 403, { Vary: 'Origin' });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin!,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding, Authorization',
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin!);
      c.res.headers.set('Access-Control-Allow-Credentials', 'true');
      c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    }
  };
}
