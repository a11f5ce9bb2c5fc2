import { describe, expect, it } from 'vitest';
import { formatConsentCookie, parseConsentCookie } from '../contract/consent-cookie.js';
import { consentCookieOf, cookieSecret, DEV_COOKIE_SECRET, signConsentCookie, verifyConsentCookie } from './capability.js';

const GRANTED = { analytics: true, personalization: true };
const mine = { anonymousId: 'anon-1', consent: GRANTED };

describe('consent cookie capability', () => {
  it('verifies what it signed, for the site it signed it for', async () => {
    const v = await signConsentCookie('s3cret', 'demo', mine);
    expect(await verifyConsentCookie('s3cret', 'demo', v)).toEqual(mine);
  });

  it('refuses changed purposes, a changed anonymous id, another site, another secret and the unsigned format', async () => {
    const v = await signConsentCookie('s3cret', 'demo', { anonymousId: 'anon-1', consent: { analytics: true, personalization: false } });
    const { signature } = parseConsentCookie(v)!;
    expect(await verifyConsentCookie('s3cret', 'demo', formatConsentCookie({ anonymousId: 'anon-1', consent: GRANTED }, signature))).toBeNull();
    expect(await verifyConsentCookie('s3cret', 'demo', formatConsentCookie({ anonymousId: 'anon-2', consent: GRANTED }, signature))).toBeNull();
    expect(await verifyConsentCookie('s3cret', 'other-shop', v)).toBeNull();
    expect(await verifyConsentCookie('other-secret', 'demo', v)).toBeNull();
    expect(await verifyConsentCookie('s3cret', 'demo', '1.ap.anon-1')).toBeNull();
  });

  it('has a secret in production only when ATTUNE_COOKIE_SECRET is set; the fallback is for local development', async () => {
    expect(cookieSecret({ ATTUNE_ENV: 'production' })).toBeNull();
    expect(cookieSecret({ ATTUNE_ENV: 'production', ATTUNE_COOKIE_SECRET: 'k' })).toBe('k');
    expect(cookieSecret({ ATTUNE_ENV: 'development' })).toBe(DEV_COOKIE_SECRET);
    // Without the secret even the development fallback's cookie is not honoured.
    const dev = await signConsentCookie(DEV_COOKIE_SECRET, 'demo', mine);
    expect(await consentCookieOf({ ATTUNE_ENV: 'production' }, `attune=${dev}`, 'demo')).toBeNull();
    expect(await consentCookieOf({ ATTUNE_ENV: 'development' }, `x=1; attune=${dev}`, 'demo')).toEqual(mine);
  });
});
