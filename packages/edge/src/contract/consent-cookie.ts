// The first-party consent cookie the edge sets on POST /v1/consent and reads when it renders HTML: a
// capability the edge issued, so it is signed (http/capability.ts signs and verifies; this file is the pure
// format). Value: `2.<purposes>.<anonymousId>.<signature>`, purposes `a` (analytics) and `p`
// (personalization), anonymous id URI-encoded (cookie-safe), signature base64url HMAC-SHA-256 of
// `consentCookieMessage` — site, purposes and anonymous id — so none of them can be changed or moved to
// another site. The unsigned `1.<purposes>.<anonymousId>` of earlier versions is Attune's but never honoured.
import type { ConsentState } from './events.js';

export const CONSENT_COOKIE = 'attune';

export interface ConsentCookie {
  anonymousId: string;
  consent: ConsentState;
}

const purposesOf = (consent: ConsentState) => `${consent.analytics ? 'a' : ''}${consent.personalization ? 'p' : ''}` || '-';

/** What the signature covers: a label (no other signature of the same key passes), the site, purposes, id. */
export const consentCookieMessage = (site: string, { anonymousId, consent }: ConsentCookie) =>
  `attune-consent-cookie.2\n${site}\n${purposesOf(consent)}\n${anonymousId}`;

export function formatConsentCookie({ anonymousId, consent }: ConsentCookie, signature: string): string {
  // `.` separates the parts, and encodeURIComponent keeps it: encoded too.
  return `2.${purposesOf(consent)}.${encodeURIComponent(anonymousId).replace(/\./g, '%2E')}.${signature}`;
}

/** The cookie's claims and signature (not yet checked), or null when it is absent, of another version or nonsense. */
export function parseConsentCookie(value: string | undefined | null): (ConsentCookie & { signature: string }) | null {
  const m = /^2\.(ap|a|p|-)\.([^.]{1,600})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m) return null;
  let anonymousId: string;
  try {
    anonymousId = decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  if (!anonymousId.trim() || anonymousId.length > 200) return null;
  return { anonymousId, consent: { analytics: m[1]!.includes('a'), personalization: m[1]!.includes('p') }, signature: m[3]! };
}

/** Whether a value has the shape of Attune's cookie, signed or from before signing (proxy mode strips both). */
export const isAttuneCookieValue = (value: string) => /^1\.(ap|a|p|-)\..{1,600}$/.test(value) || !!parseConsentCookie(value);

/** The raw value of the Attune cookie in a `Cookie` request header, or null. */
export function consentCookieValue(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === CONSENT_COOKIE) return part.slice(i + 1).trim();
  }
  return null;
}
