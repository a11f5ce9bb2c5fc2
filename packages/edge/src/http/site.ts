// Which site a request is for (write key as HTTP Basic user or `writeKey` in the body), whether its
// origin may send for that site, and the CORS headers of the answer.
import type { Context } from 'hono';
import type { SiteWithId } from '../contract/index.js';
import { fail } from './errors.js';

function basicUser(header: string | undefined): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  try {
    const decoded = atob(m[1]!);
    return decoded.slice(0, decoded.includes(':') ? decoded.indexOf(':') : undefined) || undefined;
  } catch {
    fail(401, 'the Authorization header is not valid Basic auth: send base64("<writeKey>:")');
  }
}

export function resolveSite(c: Context, sites: SiteWithId[], bodyKey: unknown): SiteWithId {
  const key = basicUser(c.req.header('authorization')) ?? (typeof bodyKey === 'string' ? bodyKey : undefined);
  if (bodyKey !== undefined && typeof bodyKey !== 'string') fail(400, 'writeKey: must be a string');
  if (!key) fail(401, 'missing write key: send it as the HTTP Basic user or as "writeKey" in the body');
  const site = sites.find((s) => s.writeKey === key);
  if (!site) fail(401, `unknown write key "${key.slice(0, 60)}"`);
  return site;
}

/** An Origin the site allows, or the API's own origin (same-origin pages such as the demo). */
export function originAllowed(c: Context, origin: string, site?: SiteWithId, sites?: SiteWithId[]): boolean {
  if (origin === new URL(c.req.url).origin) return true;
  if (site) return site.allowedOrigins.includes(origin);
  return !!sites?.some((s) => s.allowedOrigins.includes(origin));
}

/** Refuses a browser request from an origin the site does not list; requests without Origin (servers) pass. */
export function checkOrigin(c: Context, site: SiteWithId): void {
  const origin = c.req.header('origin');
  if (origin && !originAllowed(c, origin, site)) fail(403, `origin ${origin} is not allowed for site "${site.id}": add it to sites.${site.id}.allowedOrigins`);
}
