// Identity verification (Intercom's convention): the site's backend proves a user id to the browser-facing
// API with `userHash` = lowercase hex HMAC-SHA-256 of the user id, keyed with the site's identity secret (a
// Worker secret the site's config names, `identitySecretEnv`). A user id without a valid proof is only a claim:
// it reads, links and changes nothing. Shared by decide, recommendations, consent (and, later, ingest).
import type { SiteWithId } from '../contract/sites.js';

/** Local development only (ATTUNE_ENV=development), as `dev-admin` is for the admin API. */
export const DEV_IDENTITY_SECRET = 'dev-identity';

/** The site's identity secret, or null: then no user id can be proven and every one is ignored. */
export function identitySecret(env: object, site: Pick<SiteWithId, 'identitySecretEnv'>): string | null {
  const e = env as Record<string, unknown>;
  const value = Object.hasOwn(e, site.identitySecretEnv) ? e[site.identitySecretEnv] : undefined;
  if (typeof value === 'string' && value) return value;
  return e.ATTUNE_ENV === 'development' ? DEV_IDENTITY_SECRET : null;
}

const enc = (s: string) => new TextEncoder().encode(s);
const hmacKey = (secret: string, use: KeyUsage) => crypto.subtle.importKey('raw', enc(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [use]);

/** What the site's backend computes (shown here for tests and the demo; any language's HMAC gives the same). */
export async function userHash(secret: string, userId: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), enc(userId)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether `hash` proves `userId`; constant time (crypto.subtle.verify). Hex in either case is accepted. */
export async function verifyUserHash(secret: string, userId: string, hash: unknown): Promise<boolean> {
  if (typeof hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hash)) return false;
  const bytes = Uint8Array.from(hash.match(/../g)!, (h) => parseInt(h, 16));
  return crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), bytes, enc(userId));
}

/** `userId` when `proof` proves it for the site, else undefined (the id is then ignored). */
export async function provenUserId(env: object, site: Pick<SiteWithId, 'identitySecretEnv'>, userId: string | null | undefined, proof: unknown): Promise<string | undefined> {
  if (!userId) return undefined;
  const secret = identitySecret(env, site);
  return secret && (await verifyUserHash(secret, userId, proof)) ? userId : undefined;
}
