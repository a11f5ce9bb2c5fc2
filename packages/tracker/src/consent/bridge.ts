// `attune-cmp.js`: passes what a consent platform collected (Google Consent Mode v2, IAB TCF v2) to
// the tracker through its public API, as the visitor's decision. The tracker loads it only on pages
// that run such a platform, so sites without one never pay for it; it can also be included by hand.
import type { Attune } from '../types.js';
import { watchConsentPlatforms } from './signals.js';

try {
  watchConsentPlatforms((signal) => (window as unknown as { attune: Attune }).attune.consent.set(signal));
} catch (e) {
  console.debug('[attune]', e);
}
