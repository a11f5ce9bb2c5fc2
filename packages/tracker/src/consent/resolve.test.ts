import { describe, expect, it } from 'vitest';
import { anyGranted, mergeConsent, parseConsentDefault, sameConsent } from './resolve.js';

const denied = { analytics: false, personalization: false };
const granted = { analytics: true, personalization: true };

describe('parseConsentDefault (data-consent-default)', () => {
  it('denies both purposes when absent or "denied"', () => {
    expect(parseConsentDefault()).toEqual(denied);
    expect(parseConsentDefault('denied')).toEqual(denied);
  });
  it('grants both for "granted" or "all"', () => {
    expect(parseConsentDefault('granted')).toEqual(granted);
    expect(parseConsentDefault('ALL')).toEqual(granted);
  });
  it('grants only the purposes listed', () => {
    expect(parseConsentDefault('analytics')).toEqual({ analytics: true, personalization: false });
    expect(parseConsentDefault('analytics, personalization')).toEqual(granted);
  });
});

describe('mergeConsent', () => {
  it('keeps a purpose the signal does not mention', () => {
    expect(mergeConsent({ analytics: true }, denied)).toEqual({ analytics: true, personalization: false });
    expect(mergeConsent({ personalization: false }, granted)).toEqual({ analytics: true, personalization: false });
  });
  it('denies personalization under Global Privacy Control', () => {
    expect(mergeConsent({}, granted, true)).toEqual({ analytics: true, personalization: false });
  });
  it("grants no purpose that neither the signal nor the state names (the owner's default on a first visit)", () => {
    expect(mergeConsent({}, {})).toEqual(denied);
    expect(mergeConsent({ analytics: true }, {})).toEqual({ analytics: true, personalization: false });
    expect(mergeConsent(granted, {}, true)).toEqual({ analytics: true, personalization: false });
  });
  it('grants only on true, and drops anything else a stored record carries', () => {
    expect(mergeConsent({ analytics: true, id: 'x' } as never, denied)).toEqual({ analytics: true, personalization: false });
    expect(mergeConsent({ analytics: 1, personalization: 'yes' } as never, denied)).toEqual(denied);
    expect(mergeConsent({ analytics: 'false' } as never, granted)).toEqual({ analytics: false, personalization: true });
  });
});

describe('anyGranted / sameConsent', () => {
  it('says whether anything may be kept', () => {
    expect(anyGranted(denied)).toBe(false);
    expect(anyGranted({ analytics: false, personalization: true })).toBe(true);
  });
  it('compares purposes only', () => {
    expect(sameConsent(granted, { ...granted })).toBe(true);
    expect(sameConsent(granted, denied)).toBe(false);
  });
});
