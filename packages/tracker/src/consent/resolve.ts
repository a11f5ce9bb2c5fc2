// Pure: which purposes are granted, from the owner's default, Global Privacy Control and the visitor's choice.
import type { ConsentState } from '../types.js';

export const DENIED: ConsentState = { analytics: false, personalization: false };

/** `data-consent-default`: "granted" (or "all"), "denied", or a comma list of purposes to grant. */
export function parseConsentDefault(attr: string | null | undefined): ConsentState {
  const v = (attr ?? '').toLowerCase();
  const all = v === 'granted' || v === 'all';
  const list = v.split(/[\s,]+/);
  return { analytics: all || list.includes('analytics'), personalization: all || list.includes('personalization') };
}

/** Before any choice: the owner's default, with personalization denied when the browser sends GPC. */
export function initialConsent(defaults: ConsentState, gpc: boolean): ConsentState {
  return { analytics: defaults.analytics, personalization: defaults.personalization && !gpc };
}

export const anyGranted = (c: ConsentState) => c.analytics || c.personalization;
export const sameConsent = (a: ConsentState, b: ConsentState) =>
  a.analytics === b.analytics && a.personalization === b.personalization;
