// The ESM entry for bundlers: `import { createAttune } from '@attune/tracker'`.
export { createAttune } from './tracker.js';
export { parseConsentDefault } from './consent/resolve.js';
export type * from './types.js';
