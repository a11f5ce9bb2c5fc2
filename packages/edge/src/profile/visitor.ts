// Who a request is for: the first-party consent cookie, else the ids it names (other origins); their profile
// from the KV read model, used only with personalization consent. Read once per request, however many
// slots and recommendation rows a page asks about.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readConsentCookie } from '../contract/consent-cookie.js';
import type { ConsentState } from '../contract/events.js';
import type { Profile } from '../contract/profile.js';
import { readProfile } from './read.js';

export interface Visitor {
  anonymousId: string | null;
  consent: ConsentState;
  /** null without personalization consent */
  profile: Profile | null;
}

const memo = new WeakMap<Request, Map<string, Promise<Visitor>>>();

export function visitorOf(c: Context<AppEnv>, site: string, ids: { anonymousId?: string; userId?: string } = {}): Promise<Visitor> {
  const cookie = readConsentCookie(c.req.header('cookie'));
  const anonymousId = cookie?.anonymousId ?? ids.anonymousId ?? null;
  const key = `${site}|${anonymousId}|${ids.userId ?? ''}`;
  const byKey = memo.get(c.req.raw) ?? new Map<string, Promise<Visitor>>();
  memo.set(c.req.raw, byKey);
  let found = byKey.get(key);
  if (!found) {
    found = (async () => {
      const keys = [ids.userId && `u:${ids.userId}`, anonymousId && `a:${anonymousId}`].filter((k): k is string => !!k);
      const stored = keys.length ? await readProfile(c.env.PROFILES, site, keys) : null;
      const consent = cookie?.consent ?? (stored?.consent ? { analytics: stored.consent.analytics, personalization: stored.consent.personalization } : { analytics: false, personalization: false });
      return { anonymousId, consent, profile: consent.personalization ? stored : null };
    })();
    byKey.set(key, found);
  }
  return found;
}
