// Applies one accepted event to a profile. Pure: the writer (Durable Object) does the I/O.
// Counting is order-independent (sums, min/max of event times) so batches that arrive out of order
// or concurrently still add up; traits and answers keep the value with the latest event time.
import type { AcceptedEvent, AttuneEvent, Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import { dict, own } from '../contract/dict.js';
import { applyCommerce } from './commerce.js';

export function emptyProfile(site: string, id: string, at: string): Profile {
  return {
    id,
    site,
    ids: { anonymousIds: [], userId: null, merged: [] },
    consent: null,
    // Every map keyed by names from outside has no prototype (contract/dict.ts).
    traits: dict(),
    traitsAt: dict(),
    answers: dict(),
    counters: dict(),
    affinities: { category: dict(), tag: dict() },
    recent: [],
    commerce: {
      cart: [],
      cartValue: 0,
      cartUpdatedAt: null,
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      lastOrder: null,
      purchased: [],
    },
    groups: dict(),
    segments: dict(),
    experiments: dict(),
    quality: { flags: [], counts: dict(), droppedByClient: 0 },
    firstSeen: at,
    lastSeen: at,
  };
}

/** The counter name of an event: track events by name, page and screen views by Segment's names. */
export function counterName(e: AttuneEvent): string | null {
  if (e.type === 'track') return e.event;
  if (e.type === 'page') return 'Page Viewed';
  if (e.type === 'screen') return 'Screen Viewed';
  return null;
}

export const minTime = (a: string, b: string) => (a <= b ? a : b);
export const maxTime = (a: string, b: string) => (a >= b ? a : b);

/** Keeps the latest `n` daily buckets. */
export function trimDaily(daily: Record<string, number>, n = PROFILE_BOUNDS.dailyBuckets): Record<string, number> {
  const days = Object.keys(daily).sort();
  if (days.length <= n) return daily;
  return Object.fromEntries(days.slice(-n).map((d) => [d, daily[d]!]));
}

export function addIds(p: Profile, e: AttuneEvent): void {
  if (e.anonymousId && !p.ids.anonymousIds.includes(e.anonymousId)) p.ids.anonymousIds.push(e.anonymousId);
  if (e.userId && !p.ids.userId) p.ids.userId = e.userId;
}

/** Sets a trait unless the profile holds a value from a later event. */
export function setTrait(p: Profile, k: string, v: unknown, at: string): void {
  const was = own(p.traitsAt, k);
  if (was && was > at) return;
  p.traits[k] = v;
  p.traitsAt[k] = at;
}

/** Sets traits whose event time is not older than what the profile holds. */
export function setTraits(p: Profile, traits: Record<string, unknown> | undefined, at: string): void {
  for (const [k, v] of Object.entries(traits ?? {})) setTrait(p, k, v, at);
}

export function applyEvent(p: Profile, e: AcceptedEvent): Profile {
  const at = e.timestamp;
  addIds(p, e);
  p.firstSeen = minTime(p.firstSeen, at);
  p.lastSeen = maxTime(p.lastSeen, at);

  const consent = e.context?.consent;
  if (consent && (!p.consent || p.consent.updatedAt <= at)) p.consent = { ...consent, updatedAt: at };

  const name = counterName(e);
  if (name) {
    // `daily` is keyed by UTC days the edge derives, not by names from outside: a plain object (revive.ts).
    const c = own(p.counters, name) ?? (p.counters[name] = { count: 0, firstAt: at, lastAt: at, daily: {} });
    c.count += 1;
    c.firstAt = minTime(c.firstAt, at);
    c.lastAt = maxTime(c.lastAt, at);
    const day = at.slice(0, 10);
    c.daily[day] = (own(c.daily, day) ?? 0) + 1;
    c.daily = trimDaily(c.daily);
  }

  switch (e.type) {
    case 'identify':
      setTraits(p, e.traits, at);
      break;
    case 'group': {
      const g = (p.groups[e.groupId] = dict(own(p.groups, e.groupId)));
      for (const [k, v] of Object.entries(e.traits ?? {})) g[k] = v;
      break;
    }
    case 'track': {
      const props = e.properties ?? {};
      if (e.event === 'Question Answered' && typeof props.question === 'string') {
        const was = own(p.answers, props.question);
        if (!was || was.at <= at) {
          p.answers[props.question] = {
            value: props.answer,
            ...(typeof props.quiz === 'string' ? { quiz: props.quiz } : {}),
            at,
          };
        }
      }
      // The arm shown first is the arm for good: decide() prefers it over hashing from then on, so the
      // assignment survives weight changes and, through merges, logging in.
      if (e.event === 'Experiment Viewed' && typeof props.experiment_id === 'string' && typeof props.variant_id === 'string') {
        const was = own(p.experiments, props.experiment_id);
        if (!was || at < was.at) p.experiments[props.experiment_id] = { variant: props.variant_id, at };
      }
      applyCommerce(p, e.event, props, at);
      break;
    }
  }
  return p;
}

/** Records what cleaning found, bounded, with counts per issue kept in full. */
export function addFlags(p: Profile, flags: { path: string; issue: string }[], at: string): void {
  for (const f of flags) {
    p.quality.flags.push({ ...f, at });
    p.quality.counts[f.issue] = (own(p.quality.counts, f.issue) ?? 0) + 1;
  }
  if (p.quality.flags.length > PROFILE_BOUNDS.flags) p.quality.flags = p.quality.flags.slice(-PROFILE_BOUNDS.flags);
}
