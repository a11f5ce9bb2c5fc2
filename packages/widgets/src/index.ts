// The widgets bundle (dist/attune-widgets.js): registers the custom elements. The tracker loads it only
// when one of them is on the page (packages/tracker/src/snippet.ts). Safe to load twice, or next to another copy.
import type { WidgetTag } from '@attune/edge/contract/markup';
import { AttuneConsent } from './consent/element.js';
import { AttuneQuiz, AttuneSurvey } from './quiz/element.js';
import { AttuneRecs } from './recs.js';
import { debug, ensureStyles } from './runtime.js';
import { AttuneSlot } from './slot.js';

export { AttuneConsent, AttuneQuiz, AttuneRecs, AttuneSlot, AttuneSurvey };
export { Quiz } from './quiz/Quiz.js';
export { Consent } from './consent/Consent.js';

/** One element per tag of the contract's WIDGET_SELECTOR: a tag without its element, or an unlisted one, does not compile. */
export const ELEMENTS: Record<WidgetTag, CustomElementConstructor> = {
  'attune-slot': AttuneSlot,
  'attune-recs': AttuneRecs,
  'attune-quiz': AttuneQuiz,
  'attune-survey': AttuneSurvey,
  'attune-consent': AttuneConsent,
};

try {
  ensureStyles();
  for (const [tag, el] of Object.entries(ELEMENTS)) if (!customElements.get(tag)) customElements.define(tag, el);
} catch (e) {
  debug(e);
}
