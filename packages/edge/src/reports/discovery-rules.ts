// A rule the marketer can paste into `segments[].rule` for a cluster, from the features that set it
// apart, and how well that rule matches the cluster on today's data.
import type { DiscoveryFeature } from '../contract/reports.js';
import type { Condition, Rule } from '../contract/rules.js';
import { quantileSorted } from '../stats/vectors.js';
import type { ProfileFeatures } from './discovery-features.js';

/** Each feature as the rule language reads it from the profile (segments/evaluate.ts). */
export const SUBJECT_OF: Record<DiscoveryFeature, Condition> = {
  recencyDays: { daysSince: '*' },
  orders: { commerce: 'orders' },
  revenue: { commerce: 'revenue' },
  productViews: { event: 'Product Viewed' },
  cartAdds: { event: 'Product Added' },
  quizAnswers: { event: 'Question Answered' },
};

const WORDS: Record<DiscoveryFeature, [low: string, high: string]> = {
  recencyDays: ['recently active', 'lapsed'],
  orders: ['few orders', 'repeat buyers'],
  revenue: ['low spend', 'high spenders'],
  productViews: ['light browsers', 'heavy browsers'],
  cartAdds: ['few cart adds', 'cart builders'],
  quizAnswers: ['no quiz', 'quiz takers'],
};

/** A feature sets a cluster apart when its centre is at least this many standard deviations from the mean. */
const DISTINCT_SD = 0.4;
const MAX_CONDITIONS = 3;

export type ClusterView = {
  /** standardized centre of this cluster, one value per feature */
  centre: readonly number[];
  /** standardized centres of all clusters */
  centres: readonly (readonly number[])[];
  members: readonly ProfileFeatures[];
  everyone: readonly ProfileFeatures[];
};

/** The features that set the cluster apart, strongest first. */
export function distinguishing(features: readonly DiscoveryFeature[], centre: readonly number[]) {
  const ranked = features.map((f, j) => ({ f, j, z: centre[j]! })).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  const strong = ranked.filter((x) => Math.abs(x.z) >= DISTINCT_SD).slice(0, MAX_CONDITIONS);
  return strong.length ? strong : ranked.slice(0, 1);
}

export const nameOf = (features: readonly DiscoveryFeature[], centre: readonly number[]) =>
  distinguishing(features, centre)
    .slice(0, 2)
    .map(({ f, z }) => WORDS[f][z > 0 ? 1 : 0])
    .join(', ');

/**
 * Bounds from the members' 10th–90th percentiles of each distinguishing feature, rounded outwards to
 * whole numbers. The side where this cluster is the extreme one stays open ("orders ≥ 3", not "3 to 7"),
 * so the most extreme profiles are not cut off; a bound no profile falls outside is left out.
 */
export function ruleFor(features: readonly DiscoveryFeature[], view: ClusterView): Rule {
  const conditions: Rule[] = [];
  for (const { f, j } of distinguishing(features, view.centre)) {
    const values = view.members.map((p) => p[f]).sort((a, b) => a - b);
    // a loop, not Math.min(...all): spreading a few hundred thousand profiles overflows the call stack
    let [min, max] = [Infinity, -Infinity];
    for (const p of view.everyone) [min, max] = [Math.min(min, p[f]), Math.max(max, p[f])];
    const highest = view.centres.every((c) => c[j]! <= view.centre[j]!);
    const lowest = view.centres.every((c) => c[j]! >= view.centre[j]!);
    const lo = Math.floor(quantileSorted(values, 0.1));
    const hi = Math.ceil(quantileSorted(values, 0.9));
    if (!lowest && lo > min) conditions.push({ ...SUBJECT_OF[f], gte: lo });
    if (!highest && hi < max) conditions.push({ ...SUBJECT_OF[f], lte: hi });
  }
  if (!conditions.length) return { event: '*', gte: 1 };
  return conditions.length === 1 ? conditions[0]! : { all: conditions };
}

const FEATURE_OF = (c: Condition): DiscoveryFeature | undefined =>
  (Object.keys(SUBJECT_OF) as DiscoveryFeature[]).find((f) => {
    const s = SUBJECT_OF[f];
    return (s.daysSince !== undefined && s.daysSince === c.daysSince) || (s.commerce !== undefined && s.commerce === c.commerce) || (s.event !== undefined && s.event === c.event);
  });

/** The rules ruleFor writes as a test of the features (the profile would give the same numbers), resolved once per rule. */
export function matcher(rule: Rule): (p: ProfileFeatures) => boolean {
  if (rule.all) {
    const parts = rule.all.map(matcher);
    return (p) => parts.every((m) => m(p));
  }
  if (rule.event === '*') return () => true;
  const f = FEATURE_OF(rule);
  if (!f) return () => false;
  const [gte, lte] = [rule.gte ?? -Infinity, rule.lte ?? Infinity];
  return (p) => p[f] >= gte && p[f] <= lte;
}

export function ruleFit(rule: Rule, members: readonly ProfileFeatures[], everyone: readonly ProfileFeatures[]) {
  const memberIds = new Set(members.map((m) => m.id));
  const hits = everyone.filter(matcher(rule));
  const inCluster = hits.filter((p) => memberIds.has(p.id)).length;
  return { matches: hits.length, precision: hits.length ? inCluster / hits.length : 0, recall: members.length ? inCluster / members.length : 0 };
}
