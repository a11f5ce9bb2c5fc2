// Identity verification (Intercom's convention): the site's backend proves a user id to the browser-facing
// API with `userHash` = lowercase hex HMAC-SHA-256 of the user id, keyed with the site's identity secret (a
// Worker secret the site's config names, `identitySecretEnv`). A user id without a valid proof is only a claim:
// it reads, links and changes nothing. Shared by decide, recommendations, consent (and, later, ingest).
import type { SiteWithId } from '../contract/sites.js';
import { workerSecret } from './secrets.js';

/** Local development only (ATTUNE_ENV=development), as `dev-admin` is for the admin API. */
export const DEV_IDENTITY_SECRET = 'dev-identity';

/** The site's identity secret, or null: then no user id can be proven and every one is ignored. */
export const identitySecret = (env: object, site: Pick<SiteWithId, 'identitySecretEnv'>): string | null =>
  workerSecret(env, site.identitySecretEnv, DEV_IDENTITY_SECRET);

const enc = (s: string) => new TextEncoder().encode(s);
// Imported once per secret per isolate: every proven event and decide verifies with it.
const keys = new Map<string, Promise<CryptoKey>>();
const hmacKey = (secret: string) => {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = crypto.subtle.importKey('raw', enc(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])));
  return k;
};

/** What the site's backend computes (shown here for tests and the demo; any language's HMAC gives the same). */
export async function userHash(secret: string, userId: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), enc(userId)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether `hash` proves `userId`; constant time (crypto.subtle.verify). Hex in either case is accepted. */
export async function verifyUserHash(secret: string, userId: string, hash: unknown): Promise<boolean> {
  if (typeof hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hash)) return false;
  const bytes = Uint8Array.from(hash.match(/../g)!, (h) => parseInt(h, 16));
  return crypto.subtle.verify('HMAC', await hmacKey(secret), bytes, enc(userId));
}

/** `userId` when `proof` proves it for the site, else undefined (the id is then ignored). */
export async function provenUserId(env: object, site: Pick<SiteWithId, 'identitySecretEnv'>, userId: string | null | undefined, proof: unknown): Promise<string | undefined> {
  if (!userId) return undefined;
  const secret = identitySecret(env, site);
  return secret && (await verifyUserHash(secret, userId, proof)) ? userId : undefined;
}
