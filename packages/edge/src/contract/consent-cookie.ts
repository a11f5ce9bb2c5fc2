// The first-party consent cookie the edge sets on POST /v1/consent and reads when it renders HTML.
// Pure so the renderer, the consent route and tests share one definition. Value: `1.<purposes>.<anonymousId>`,
// purposes `a` (analytics) and `p` (personalization), anonymous id URI-encoded (cookie-safe).
import type { ConsentState } from './events.js';

export const CONSENT_COOKIE = 'attune';

export interface ConsentCookie {
  anonymousId: string;
  consent: ConsentState;
}

export function encodeConsentCookie({ anonymousId, consent }: ConsentCookie): string {
  const purposes = `${consent.analytics ? 'a' : ''}${consent.personalization ? 'p' : ''}` || '-';
  return `1.${purposes}.${encodeURIComponent(anonymousId)}`;
}

/** The cookie's content, or null when it is absent, from another version, or tampered into nonsense. */
export function decodeConsentCookie(value: string | undefined | null): ConsentCookie | null {
  const m = /^1\.(a?p?|-)\.(.{1,600})$/.exec(value ?? '');
  if (!m) return null;
  let anonymousId: string;
  try {
    anonymousId = decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  if (!anonymousId.trim() || anonymousId.length > 200) return null;
  return { anonymousId, consent: { analytics: m[1]!.includes('a'), personalization: m[1]!.includes('p') } };
}

/** Reads the Attune cookie out of a `Cookie` request header. */
export function readConsentCookie(cookieHeader: string | null | undefined): ConsentCookie | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === CONSENT_COOKIE) return decodeConsentCookie(part.slice(i + 1).trim());
  }
  return null;
}
