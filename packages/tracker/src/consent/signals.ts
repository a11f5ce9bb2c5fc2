// Consent a consent-management platform already collected: read, never asked again.
import type { ConsentState } from '../types.js';
import { isObject } from '../util.js';

export type ConsentSignal = Partial<ConsentState>;

/**
 * Google Consent Mode v2: `gtag('consent', 'default' | 'update', {analytics_storage, personalization_storage, ad_*})`
 * pushes an `arguments` object onto `dataLayer`. Attune has no advertising purpose, so `ad_*` is not read.
 */
export function fromConsentMode(entry: unknown): ConsentSignal | undefined {
  const a = entry as ArrayLike<unknown> | undefined;
  const s = a?.[2] as Record<string, string> | undefined;
  if (a?.[0] != 'consent' || !isObject(s)) return;
  // A 'default' is what holds while the CMP's banner is shown, not the visitor's answer: only the purposes
  // it grants count (an owner outside opt-in jurisdictions); its denials are Attune's own default already,
  // so events made meanwhile keep waiting for the 'update'. An absent key leaves that purpose as it was.
  const read = (v?: string) => (v == 'granted' ? true : v && a[1] != 'default' ? false : undefined);
  const out: ConsentSignal = {};
  const analytics = read(s.analytics_storage);
  const personalization = read(s.personalization_storage);
  if (analytics !== undefined) out.analytics = analytics;
  if (personalization !== undefined) out.personalization = personalization;
  return Object.keys(out).length ? out : undefined;
}

interface TcData {
  gdprApplies?: boolean;
  eventStatus?: string;
  purpose?: { consents?: Record<string, boolean> };
}

/**
 * IAB TCF v2: analytics needs purposes 1 (store on a device) and 8 (measure content performance);
 * personalization needs 1, 5 (create a personalised content profile) and 6 (use it to select content).
 */
export function fromTcf(tc: TcData | undefined): ConsentSignal | undefined {
  if (!tc || tc.gdprApplies === false || !/^(tcloaded|useractioncomplete)$/.test(tc.eventStatus ?? '')) return;
  const p = tc.purpose?.consents ?? {};
  return { analytics: !!(p[1] && p[8]), personalization: !!(p[1] && p[5] && p[6]) };
}

/** Calls `apply` with what the page's consent platforms say now and whenever they change. */
export function watchConsentPlatforms(apply: (s: ConsentSignal) => void) {
  const w = window as unknown as { dataLayer?: unknown[]; __tcfapi?: (...a: unknown[]) => void };
  const dl = w.dataLayer;
  if (Array.isArray(dl)) {
    const read = (e: unknown) => {
      const s = fromConsentMode(e);
      if (s) apply(s);
    };
    dl.forEach(read);
    // Chain whatever push is there (GTM replaces it too) so later `gtag('consent','update',…)` calls reach us.
    const push = dl.push;
    dl.push = function (this: unknown[], ...items: unknown[]) {
      const n = push.apply(this, items);
      items.forEach(read);
      return n;
    };
  }
  if (typeof w.__tcfapi == 'function')
    w.__tcfapi('addEventListener', 2, (tc: TcData, ok: boolean) => {
      const s = ok && fromTcf(tc);
      if (s) apply(s);
    });
}

/** Truthy when the page runs a consent platform the bridge can read; checked before loading it. */
export const hasConsentPlatform = (w = window as unknown as { dataLayer?: unknown[]; __tcfapi?: unknown }) =>
  w.__tcfapi || w.dataLayer?.some?.((e) => (e as ArrayLike<unknown>)?.[0] == 'consent');
