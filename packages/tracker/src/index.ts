// The ESM entry for bundlers: `import { createAttune } from '@attune/tracker'`.
export { createAttune } from './tracker.js';
export { parseConsentDefault } from './consent/resolve.js';
/** For a page with Google Consent Mode or IAB TCF: `watchConsentPlatforms(attune.consent.set)`. */
export { watchConsentPlatforms } from './consent/signals.js';
export type * from './types.js';
