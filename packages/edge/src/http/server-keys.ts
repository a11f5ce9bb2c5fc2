// Server write keys: secret, held by the site's backend, server libraries and `attune import`, never by a page.
// The site's config names the Worker secrets that hold them (`serverKeyEnv`); events sent with one are trusted
// for user ids, aliases and email links (ingest/trust.ts). The public write key only identifies the site.
import type { SiteWithId } from '../contract/sites.js';
import { sameSecret } from './secrets.js';

/** Local development only (ATTUNE_ENV=development, no server key set), as `dev-admin` is for the admin API. */
export const devServerKey = (site: Pick<SiteWithId, 'writeKey'>) => `${site.writeKey}-server`;

/** The names the site's config gives its server keys (one, or several while one is rotated). */
export const serverKeyNames = (site: Pick<SiteWithId, 'serverKeyEnv'>): string[] => (typeof site.serverKeyEnv === 'string' ? [site.serverKeyEnv] : site.serverKeyEnv);

/** The site's server keys: the secrets it names that are set; none set means `<writeKey>-server`, in development only. */
export function serverKeys(env: object, site: Pick<SiteWithId, 'serverKeyEnv' | 'writeKey'>): string[] {
  const e = env as Record<string, unknown>;
  const set = serverKeyNames(site)
    .map((n) => (Object.hasOwn(e, n) ? e[n] : undefined))
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (set.length) return set;
  return e.ATTUNE_ENV === 'development' ? [devServerKey(site)] : [];
}

/**
 * The site whose server key `key` is, or undefined. Every key of every site is compared, by SHA-256 digests
 * (equal length) without an early exit, so neither which key nor how much of it matched leaks through timing.
 */
export async function siteOfServerKey(env: object, sites: SiteWithId[], key: string): Promise<SiteWithId | undefined> {
  let found: SiteWithId | undefined;
  for (const site of sites) for (const candidate of serverKeys(env, site)) if (await sameSecret(key, candidate)) found ??= site;
  return found;
}
