// Merges two profiles of one person (identify/alias linked their ids). Pure.
// Counters add, traits and answers keep the latest by event time, experiment assignments of the
// profile first seen earlier are kept (so a visitor who logs in keeps what they were shown).
import type { Profile } from '../contract/index.js';
import { PROFILE_BOUNDS } from '../contract/index.js';
import { dict, own } from '../contract/dict.js';
import { addScore } from './commerce.js';
import { maxTime, minTime, setTrait, trimDaily } from './apply.js';
import { cloneProfile } from './revive.js';

const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

export function mergeProfiles(into: Profile, from: Profile): Profile {
  // `from` may come straight from another object's RPC answer (maps with Object.prototype): it is only read,
  // by own keys; the copy of `into` gets null-prototype maps.
  const p: Profile = cloneProfile(into);
  const earlier = from.firstSeen < into.firstSeen ? from : into;
  const later = earlier === into ? from : into;

  p.ids = {
    anonymousIds: union(p.ids.anonymousIds, from.ids.anonymousIds),
    userId: p.ids.userId ?? from.ids.userId,
    merged: union(p.ids.merged, [from.id, ...from.ids.merged]).filter((id) => id !== p.id),
  };
  if (from.consent && (!p.consent || from.consent.updatedAt > p.consent.updatedAt)) p.consent = { ...from.consent };

  for (const [k, at] of Object.entries(from.traitsAt)) setTrait(p, k, own(from.traits, k), at);
  for (const [q, a] of Object.entries(from.answers)) {
    const was = own(p.answers, q);
    if (!was || was.at < a.at) p.answers[q] = { ...a };
  }

  for (const [name, c] of Object.entries(from.counters)) {
    const was = own(p.counters, name);
    if (!was) {
      p.counters[name] = { ...c, daily: { ...c.daily } };
      continue;
    }
    was.count += c.count;
    was.firstAt = minTime(was.firstAt, c.firstAt);
    was.lastAt = maxTime(was.lastAt, c.lastAt);
    for (const [d, n] of Object.entries(c.daily)) was.daily[d] = (own(was.daily, d) ?? 0) + n;
    was.daily = trimDaily(was.daily);
  }

  for (const kind of ['category', 'tag'] as const) {
    for (const [k, s] of Object.entries(from.affinities[kind])) p.affinities[kind][k] = addScore(own(p.affinities[kind], k), s);
  }

  const recent = new Map<string, Profile['recent'][number]>();
  for (const r of [...p.recent, ...from.recent].sort((a, b) => (a.at < b.at ? -1 : 1))) {
    recent.delete(r.productId);
    recent.set(r.productId, r);
  }
  p.recent = [...recent.values()].slice(-PROFILE_BOUNDS.recent);

  const a = p.commerce;
  const b = from.commerce;
  a.orders += b.orders;
  a.revenue = Math.round((a.revenue + b.revenue) * 100) / 100;
  a.averageOrderValue = a.orders ? Math.round((a.revenue / a.orders) * 100) / 100 : 0;
  if (b.lastOrder && (!a.lastOrder || b.lastOrder.at > a.lastOrder.at)) a.lastOrder = { ...b.lastOrder };
  a.purchased = union(a.purchased, b.purchased).slice(-PROFILE_BOUNDS.purchased);
  // The cart touched last is the one the visitor is looking at.
  if (b.cartUpdatedAt && (!a.cartUpdatedAt || b.cartUpdatedAt > a.cartUpdatedAt)) {
    a.cart = structuredClone(b.cart);
    a.cartValue = b.cartValue;
    a.cartUpdatedAt = b.cartUpdatedAt;
  }

  for (const [g, t] of Object.entries(from.groups)) p.groups[g] = dict([...Object.entries(t), ...Object.entries(own(p.groups, g) ?? {})]);
  for (const [s, v] of Object.entries(from.segments)) if (!own(p.segments, s)) p.segments[s] = { ...v };
  p.experiments = dict([...Object.entries(later.experiments), ...Object.entries(earlier.experiments)].map(([k, v]) => [k, { ...v }] as const));

  p.quality.flags = [...p.quality.flags, ...from.quality.flags]
    .sort((x, y) => (x.at < y.at ? -1 : 1))
    .slice(-PROFILE_BOUNDS.flags);
  for (const [k, n] of Object.entries(from.quality.counts)) p.quality.counts[k] = (own(p.quality.counts, k) ?? 0) + n;
  p.quality.droppedByClient += from.quality.droppedByClient;

  p.firstSeen = minTime(p.firstSeen, from.firstSeen);
  p.lastSeen = maxTime(p.lastSeen, from.lastSeen);
  return p;
}
