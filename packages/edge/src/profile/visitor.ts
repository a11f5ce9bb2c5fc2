// Who a request is for, by what the caller holds: the edge's signed consent cookie, else the anonymous id the
// request names (the tracker's random id: the capability of other origins), and a user id only with its proof
// (http/identity-proof.ts). A user id alone is a claim and reads nothing. Their profile comes from the KV read
// model, used only with personalization consent. Read once per request, however many slots and
// recommendation rows a page asks about.
//
// Consent precedence: the consent stored on the profile is the person's own; a cookie can only narrow it.
// Where both exist a purpose counts only when both grant it; where only one exists, that one counts; with
// neither, nothing is granted. So one visitor's cookie never overrides another person's refusal.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { ConsentState } from '../contract/events.js';
import type { Profile } from '../contract/profile.js';
import type { SiteWithId } from '../contract/sites.js';
import { consentCookieOf } from '../http/capability.js';
import { provenUserId } from '../http/identity-proof.js';
import { readProfile } from './read.js';

export interface Visitor {
  anonymousId: string | null;
  consent: ConsentState;
  /** null without personalization consent */
  profile: Profile | null;
  /** The profile's name as the caller may see it: its id when that is a key the caller holds, else the caller's own `a:` key. */
  profileId: string | null;
}

export interface VisitorIds {
  anonymousId?: string;
  userId?: string | null;
  /** hex HMAC-SHA-256 of userId with the site's identity secret */
  userHash?: unknown;
}

const memo = new WeakMap<Request, Map<string, Promise<Visitor>>>();

/** Stored consent narrowed by the cookie's (see the precedence above). */
export function effectiveConsent(stored: ConsentState | undefined, cookie: ConsentState | undefined): ConsentState {
  if (stored && cookie) return { analytics: stored.analytics && cookie.analytics, personalization: stored.personalization && cookie.personalization };
  const one = stored ?? cookie;
  return { analytics: !!one?.analytics, personalization: !!one?.personalization };
}

/** Never names a profile by a key the caller did not show: a linked user id stays unrevealed. */
export function visibleProfileId(profile: Profile | null, held: string[]): string | null {
  if (!profile) return null;
  return held.includes(profile.id) ? profile.id : (held.find((k) => k.startsWith('a:')) ?? null);
}

export function visitorOf(c: Context<AppEnv>, site: SiteWithId, ids: VisitorIds = {}): Promise<Visitor> {
  const key = `${site.id}|${ids.anonymousId ?? ''}|${ids.userId ?? ''}|${typeof ids.userHash === 'string' ? ids.userHash : ''}`;
  const byKey = memo.get(c.req.raw) ?? new Map<string, Promise<Visitor>>();
  memo.set(c.req.raw, byKey);
  let found = byKey.get(key);
  if (!found) {
    found = (async () => {
      const [cookie, userId] = await Promise.all([consentCookieOf(c.env, c.req.header('cookie'), site.id), provenUserId(c.env, site, ids.userId, ids.userHash)]);
      const anonymousId = cookie?.anonymousId ?? ids.anonymousId ?? null;
      const held = [userId && `u:${userId}`, anonymousId && `a:${anonymousId}`].filter((k): k is string => !!k);
      const stored = held.length ? await readProfile(c.env.PROFILES, site.id, held) : null;
      const consent = effectiveConsent(stored?.consent ?? undefined, cookie?.consent);
      const profile = consent.personalization ? stored : null;
      return { anonymousId, consent, profile, profileId: visibleProfileId(profile, held) };
    })();
    byKey.set(key, found);
  }
  return found;
}
