import { describe, expect, it } from 'vitest';
import { decodeConsentCookie, encodeConsentCookie, readConsentCookie } from './consent-cookie.js';

describe('consent cookie', () => {
  it('round-trips the anonymous id and purposes, cookie-safe', () => {
    for (const consent of [
      { analytics: true, personalization: true },
      { analytics: true, personalization: false },
      { analytics: false, personalization: true },
      { analytics: false, personalization: false },
    ]) {
      const anonymousId = 'a; b=c ü/1';
      const v = encodeConsentCookie({ anonymousId, consent });
      expect(v).toMatch(/^[\x21-\x7e]+$/);
      expect(v).not.toMatch(/[;,\s"]/);
      expect(decodeConsentCookie(v)).toEqual({ anonymousId, consent });
    }
  });

  it('reads it out of a Cookie header and refuses nonsense', () => {
    expect(readConsentCookie('x=1; attune=1.ap.abc; y=2')).toEqual({ anonymousId: 'abc', consent: { analytics: true, personalization: true } });
    for (const bad of ['', '2.ap.abc', '1.pa.abc', '1.ap.', '1.ap.%E0%A4%A']) expect(decodeConsentCookie(bad), bad).toBeNull();
    expect(readConsentCookie('other=1')).toBeNull();
  });
});
