// Which responses a shared cache may keep. Personalized HTML never; the same page for visitors without
// personalization consent may be, when the cache key can tell apart everything the config varies it by.
import type { CompiledConfig } from '../config/compile.js';

export interface CachePolicy {
  cacheControl: string;
  vary: string[];
}

const PRIVATE: CachePolicy = { cacheControl: 'private, no-store', vary: ['Cookie'] };

export function cachePolicy(compiled: CompiledConfig, personalized: boolean): CachePolicy {
  if (personalized) return PRIVATE;
  const facts = compiled.contextualFacts;
  // The URL (path, query, so utm_*) is in every cache key; a header can be named in Vary; the country
  // and the referrer cannot be keyed safely, so such a config makes every page private.
  if (facts.has('country') || facts.has('referrer')) return PRIVATE;
  const vary = ['Cookie'];
  if (facts.has('device')) vary.push('User-Agent');
  if (facts.has('locale')) vary.push('Accept-Language');
  return { cacheControl: 'public, max-age=60', vary };
}
