// What of the visitor's Cookie header reaches the shop's origin: all of it but Attune's own cookies.
import { describe, expect, it } from 'vitest';
import { formatConsentCookie } from '../contract/consent-cookie.js';
import { shopCookies } from './upstream-headers.js';

const attune = `attune=${formatConsentCookie({ anonymousId: 'a b', consent: { analytics: true, personalization: true } }, 'S'.repeat(43))}`;

describe('shopCookies', () => {
  it("removes Attune's consent and preview cookies wherever they stand, keeps the rest in order", () => {
    expect(shopCookies(`${attune}; session=s3cret;attune_preview=x.y ;theme=dark`)).toBe('session=s3cret; theme=dark');
    expect(shopCookies(`${attune}; attune_preview=x`)).toBe('');
    // The unsigned cookie of earlier versions is Attune's too: it never reaches the shop.
    expect(shopCookies('attune=1.ap.visitor-1; session=s')).toBe('session=s');
  });

  it("keeps a cookie called attune that is not Attune's, and cookies without a value", () => {
    expect(shopCookies('attune=shop-own-value; flag')).toBe('attune=shop-own-value; flag');
  });
});
