// Test helper: the consent cookie as POST /v1/consent issues it under local development's secret.
import type { ConsentState } from '../src/contract/events.js';
import { DEV_COOKIE_SECRET, signConsentCookie } from '../src/http/capability.js';

export const GRANTED: ConsentState = { analytics: true, personalization: true };

/** `attune=<signed value>` for a Cookie header. */
export async function signedCookie(anonymousId: string, consent: ConsentState = GRANTED, site = 'demo', secret = DEV_COOKIE_SECRET): Promise<string> {
  return `attune=${await signConsentCookie(secret, site, { anonymousId, consent })}`;
}
