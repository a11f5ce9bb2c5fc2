// Which responses a shared cache may keep. Personalized HTML never; the same page for visitors without
// personalization consent may be, when the cache key can tell apart everything the config varies it by.
import type { CompiledConfig } from '../config/compile.js';
import type { Rule } from '../contract/rules.js';

/** The request facts the config's contextual audiences read (`context: "device"` → "device"). */
export function contextualFacts(compiled: CompiledConfig): Set<string> {
  const facts = new Set<string>();
  const walk = (r: Rule | undefined): void => {
    if (!r) return;
    r.all?.forEach(walk);
    r.any?.forEach(walk);
    walk(r.not);
    if (r.context) facts.add(r.context);
  };
  for (const slot of compiled.slots.values()) slot.variants.forEach((v) => v.contextual && walk(v.audience));
  return facts;
}

export interface CachePolicy {
  cacheControl: string;
  vary: string[];
}

const PRIVATE: CachePolicy = { cacheControl: 'private, no-store', vary: ['Cookie'] };

export function cachePolicy(compiled: CompiledConfig, personalized: boolean): CachePolicy {
  if (personalized) return PRIVATE;
  const facts = contextualFacts(compiled);
  // The URL (path, query, so utm_*) is in every cache key; a header can be named in Vary; the country
  // and the referrer cannot be keyed safely, so such a config makes every page private.
  if (facts.has('country') || facts.has('referrer')) return PRIVATE;
  const vary = ['Cookie'];
  if (facts.has('device')) vary.push('User-Agent');
  if (facts.has('locale')) vary.push('Accept-Language');
  return { cacheControl: 'public, max-age=60', vary };
}
