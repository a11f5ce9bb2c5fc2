import { describe, expect, it } from 'vitest';
import { consentCookieValue, formatConsentCookie, isAttuneCookieValue, parseConsentCookie } from './consent-cookie.js';

const SIG = 'A'.repeat(43);

describe('consent cookie format', () => {
  it('round-trips the anonymous id and purposes, cookie-safe', () => {
    for (const consent of [
      { analytics: true, personalization: true },
      { analytics: true, personalization: false },
      { analytics: false, personalization: true },
      { analytics: false, personalization: false },
    ]) {
      const anonymousId = 'a; b=c ü/1.2';
      const v = formatConsentCookie({ anonymousId, consent }, SIG);
      expect(v).toMatch(/^[\x21-\x7e]+$/);
      expect(v).not.toMatch(/[;,\s"]/);
      expect(parseConsentCookie(v)).toEqual({ anonymousId, consent, signature: SIG });
    }
  });

  it('finds it in a Cookie header and refuses nonsense, the unsigned format of earlier versions included', () => {
    expect(consentCookieValue(`x=1; attune=2.ap.abc.${SIG}; y=2`)).toBe(`2.ap.abc.${SIG}`);
    expect(consentCookieValue('other=1')).toBeNull();
    for (const bad of ['', '1.ap.abc', '2.ap.abc', `2.pa.abc.${SIG}`, `2..abc.${SIG}`, `2.ap..${SIG}`, `2.ap.%E0%A4%A.${SIG}`, `2.ap.abc.${SIG}x`])
      expect(parseConsentCookie(bad), bad).toBeNull();
  });

  it("recognises Attune's cookie, signed or from before signing, and nothing of the shop's", () => {
    expect(isAttuneCookieValue(`2.p.abc.${SIG}`)).toBe(true);
    expect(isAttuneCookieValue('1.ap.abc')).toBe(true);
    expect(isAttuneCookieValue('shop-own-value')).toBe(false);
  });
});
