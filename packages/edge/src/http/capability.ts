// The consent cookie as a capability the edge issued: signed with ATTUNE_COOKIE_SECRET (through a key derived
// for this use only, http/hmac-key.ts), bound to the site and the anonymous id. A cookie that is unsigned,
// wrongly signed or signed for another site is no cookie at all. Without the secret (a deployed Worker
// where nobody ran `wrangler secret put ATTUNE_COOKIE_SECRET`) cookies are neither issued nor honoured.
import { consentCookieMessage, consentCookieValue, formatConsentCookie, parseConsentCookie, type ConsentCookie } from '../contract/consent-cookie.js';
import { derivedKey, sign, verify } from './hmac-key.js';
import { workerSecret } from './secrets.js';

/** Local development only (ATTUNE_ENV=development), as `dev-admin` is for the admin API. */
export const DEV_COOKIE_SECRET = 'dev-cookie-secret';

/** `env` is the Worker's (typed loosely: the secret is not a binding wrangler.toml declares). */
export const cookieSecret = (env: object): string | null => workerSecret(env, 'ATTUNE_COOKIE_SECRET', DEV_COOKIE_SECRET);

// Deriving costs two HMACs and two imports: once per secret per isolate.
const keys = new Map<string, Promise<CryptoKey>>();
const keyOf = (secret: string) => {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = derivedKey(secret, 'attune consent cookie')));
  return k;
};

/** The cookie's value for `site`: what POST /v1/consent sets (and tests send). */
export async function signConsentCookie(secret: string, site: string, cookie: ConsentCookie): Promise<string> {
  return formatConsentCookie(cookie, await sign(await keyOf(secret), consentCookieMessage(site, cookie)));
}

/** The cookie's content when `secret` signed it for `site`, else null. */
export async function verifyConsentCookie(secret: string, site: string, value: string | null | undefined): Promise<ConsentCookie | null> {
  const parsed = parseConsentCookie(value);
  if (!parsed) return null;
  const { signature, ...cookie } = parsed;
  return (await verify(await keyOf(secret), consentCookieMessage(site, cookie), signature)) ? cookie : null;
}

/** The request's valid consent cookie for `site`, or null (absent, forged, another site's, or no secret). */
export async function consentCookieOf(env: object, cookieHeader: string | undefined, site: string): Promise<ConsentCookie | null> {
  const secret = cookieSecret(env);
  const value = consentCookieValue(cookieHeader);
  return secret && value ? verifyConsentCookie(secret, site, value) : null;
}
