// Pure: which purposes are granted, from the owner's default, Global Privacy Control and the visitor's choice.
import type { ConsentState } from '../types.js';

/** `data-consent-default`: "granted" (or "all"), "denied", or a list of purposes to grant. */
export const parseConsentDefault = (attr = ''): ConsentState => ({
  analytics: /all|granted|analytics/i.test(attr),
  personalization: /all|granted|personalization/i.test(attr),
});

/**
 * A signal or choice applied on top of the current state; `gpc` denies personalization unless given.
 * Only `true` grants: `{analytics: 'no'}` or `{analytics: 1}` is not a grant, nor is a purpose neither names.
 */
export const mergeConsent = (c: Partial<ConsentState>, prev: Partial<ConsentState>, gpc?: boolean): ConsentState => ({
  analytics: (c.analytics ?? prev.analytics) === true,
  personalization: (c.personalization ?? prev.personalization) === true && !gpc,
});

export const anyGranted = (c: ConsentState) => c.analytics || c.personalization;
export const sameConsent = (a: ConsentState, b: ConsentState) =>
  a.analytics == b.analytics && a.personalization == b.personalization;
