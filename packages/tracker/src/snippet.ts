// The script-tag entry: `<script async src="/attune.js" data-write-key="demo">`. Reads its data
// attributes, replaces the stub's queue with the real API and replays the queued calls in order.
import { WIDGET_SELECTOR } from '@attune/edge/contract/markup';
import { parseConsentDefault } from './consent/resolve.js';
import { hasConsentPlatform } from './consent/signals.js';
import { createAttune } from './tracker.js';
import type { Attune } from './types.js';
import { debug, guard } from './util.js';

type Call = [string, ...unknown[]];
const w = window as unknown as { attune?: Call[] | Attune };

try {
  const queued = w.attune;
  if (!queued || Array.isArray(queued)) {
    // Set while a classic script runs, async or injected by a tag manager alike.
    const script = document.currentScript as HTMLScriptElement | null;
    const d = script?.dataset ?? {};
    const api = d.api ?? (script?.src ? new URL(script.src).origin : location.origin);
    const attune = createAttune({
      writeKey: d.writeKey!, // missing: the edge answers what is wrong
      api,
      consentDefault: parseConsentDefault(d.consentDefault),
      autoPage: d.autoPage !== 'false',
    });
    w.attune = attune;
    // Each queued call on its own: a garbage entry must not cost the calls queued after it.
    for (const call of (queued as Call[] | undefined) ?? [])
      guard(() => {
        const [method, ...args] = call;
        const [a, b] = method.split('.');
        const target = (b ? attune[a as 'consent'] : attune) as unknown as Record<string, (...x: unknown[]) => void>;
        target[b ?? a!]!(...args);
      })();
    // Extras load only where the page needs them, once we are window.attune (they use its public API):
    // the consent-platform bridge, and the widgets when an <attune-…> element is on the page.
    const load = (file: string) => document.head.append(Object.assign(document.createElement('script'), { src: `${api}/${file}` }));
    if (hasConsentPlatform()) load('attune-cmp.js');
    const widgets = () => document.querySelector(WIDGET_SELECTOR) && load('attune-widgets.js');
    document.readyState == 'loading' ? addEventListener('DOMContentLoaded', widgets) : widgets();
  }
} catch (e) {
  debug(e);
}
