// Which site a request is for (write key as HTTP Basic user or `writeKey` in the body), which kind of key it
// used (the public browser key or a secret server key), whether its origin may send for that site, and the
// CORS headers of the answer.
import type { Context } from 'hono';
import type { SiteWithId } from '../contract/index.js';
import { fail } from './errors.js';
import { siteOfServerKey } from './server-keys.js';

/** `browser`: the public write key, which proves nothing. `server`: a secret server key, trusted for user ids. */
export type KeyKind = 'browser' | 'server';

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

function keyOf(c: Context, bodyKey: unknown): string {
  const key = basicUser(c.req.header('authorization')) ?? (typeof bodyKey === 'string' ? bodyKey : undefined);
  if (bodyKey !== undefined && typeof bodyKey !== 'string') fail(400, 'writeKey: must be a string');
  if (!key) fail(401, 'missing write key: send it as the HTTP Basic user or as "writeKey" in the body');
  return key;
}

/** The site of a public (browser) write key: the routes that read only ever take that one. */
export function resolveSite(c: Context, sites: SiteWithId[], bodyKey: unknown): SiteWithId {
  const key = keyOf(c, bodyKey);
  const site = sites.find((s) => s.writeKey === key);
  if (!site) fail(401, `unknown write key "${key.slice(0, 60)}"`);
  return site;
}

/**
 * The site and the kind of key of a write (ingest), origin checked. A server key is refused from any page
 * (a request with an Origin): in a browser it is a leaked secret, and whatever it sent would be trusted.
 */
export async function resolveWriter(c: Context, sites: SiteWithId[], bodyKey: unknown): Promise<{ site: SiteWithId; kind: KeyKind }> {
  const key = keyOf(c, bodyKey);
  const browser = sites.find((s) => s.writeKey === key);
  if (browser) {
    checkOrigin(c, browser);
    return { site: browser, kind: 'browser' };
  }
  const site = await siteOfServerKey(c.env as object, sites, key);
  if (!site) fail(401, `unknown write key "${key.slice(0, 60)}"`);
  if (c.req.header('origin'))
    fail(403, `a server write key was sent from a web page (Origin ${c.req.header('origin')}): it is a secret, for servers only — pages send the public write key "${site.writeKey}". Rotate the leaked key.`);
  return { site, kind: 'server' };
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
