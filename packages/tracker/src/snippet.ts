// The script-tag entry: `<script async src="/attune.js" data-write-key="demo">`. Reads its data
// attributes, replaces the stub's queue with the real API and replays the queued calls in order.
import { parseConsentDefault } from './consent/resolve.js';
import { hasConsentPlatform } from './consent/signals.js';
import { createAttune } from './tracker.js';
import type { Attune } from './types.js';

type Call = [string, ...unknown[]];
const w = window as unknown as { attune?: Call[] | Attune };

try {
  const queued = w.attune;
  if (!queued || Array.isArray(queued)) {
    const script = (document.currentScript ?? document.querySelector('script[data-write-key]')) as HTMLScriptElement | null;
    const d = script?.dataset ?? {};
    const api = d.api ?? (script?.src ? new URL(script.src).origin : location.origin);
    const attune = createAttune({
      writeKey: d.writeKey ?? '',
      api,
      consentDefault: parseConsentDefault(d.consentDefault),
      autoPage: d.autoPage !== 'false',
    });
    w.attune = attune;
    for (const [method, ...args] of (queued as Call[] | undefined) ?? []) {
      const [a, b] = method.split('.');
      const target = (b ? attune[a as 'consent'] : attune) as unknown as Record<string, (...x: unknown[]) => void>;
      target?.[b ?? a!]?.(...args);
    }
    // The consent-platform bridge talks to us through `attune.consent.set`, so it loads once we are window.attune.
    if (hasConsentPlatform()) document.head.append(Object.assign(document.createElement('script'), { src: `${api}/attune-cmp.js` }));
  }
} catch (e) {
  console.debug('[attune]', e);
}
