import { describe, expect, it } from 'vitest';
import { fromConsentMode, fromTcf, hasConsentPlatform } from './signals.js';

// gtag pushes its `arguments` object, not an array.
function gtagArgs(..._: unknown[]) {
  // eslint-disable-next-line prefer-rest-params
  return arguments;
}

describe('Google Consent Mode v2', () => {
  it('reads analytics_storage and personalization_storage from an update', () => {
    expect(fromConsentMode(gtagArgs('consent', 'update', { analytics_storage: 'granted', personalization_storage: 'denied' }))).toEqual({
      analytics: true,
      personalization: false,
    });
  });
  it("takes only the grants of a 'default': its denials are not the visitor's answer", () => {
    expect(fromConsentMode(gtagArgs('consent', 'default', { analytics_storage: 'granted', personalization_storage: 'denied' }))).toEqual({ analytics: true });
    expect(fromConsentMode(gtagArgs('consent', 'default', { analytics_storage: 'denied', personalization_storage: 'denied' }))).toBeUndefined();
  });
  it('leaves a purpose the update does not mention as it was', () => {
    const s = fromConsentMode(['consent', 'update', { personalization_storage: 'granted' }])!;
    expect(s.personalization).toBe(true);
    expect(s.analytics).toBeFalsy();
    expect('analytics' in s && s.analytics !== undefined).toBe(false);
  });
  it('ignores other dataLayer entries', () => {
    expect(fromConsentMode({ event: 'gtm.js' })).toBeUndefined();
    expect(fromConsentMode(gtagArgs('config', 'G-1', {}))).toBeUndefined();
    expect(fromConsentMode(undefined)).toBeUndefined();
  });
});

describe('IAB TCF v2', () => {
  const tc = (consents: Record<number, boolean>, extra = {}) => ({
    gdprApplies: true,
    eventStatus: 'useractioncomplete',
    purpose: { consents },
    ...extra,
  });
  it('grants analytics with purposes 1 and 8, personalization with 1, 5 and 6', () => {
    expect(fromTcf(tc({ 1: true, 5: true, 6: true, 8: true }))).toEqual({ analytics: true, personalization: true });
    expect(fromTcf(tc({ 1: true, 8: true }))).toEqual({ analytics: true, personalization: false });
    expect(fromTcf(tc({ 5: true, 6: true, 8: true }))).toEqual({ analytics: false, personalization: false });
  });
  it('waits for the CMP to have an answer, and says nothing where GDPR does not apply', () => {
    expect(fromTcf(tc({ 1: true }, { eventStatus: 'cmpuishown' }))).toBeUndefined();
    expect(fromTcf(tc({ 1: true }, { gdprApplies: false }))).toBeUndefined();
  });
});

describe('hasConsentPlatform', () => {
  it('is true with a TCF API or a consent entry in dataLayer, false otherwise', () => {
    expect(hasConsentPlatform({ __tcfapi: () => {} })).toBeTruthy();
    expect(hasConsentPlatform({ dataLayer: [gtagArgs('consent', 'default', {})] })).toBe(true);
    expect(hasConsentPlatform({ dataLayer: [{ event: 'gtm.js' }] })).toBeFalsy();
    expect(hasConsentPlatform({})).toBeFalsy();
  });
});
