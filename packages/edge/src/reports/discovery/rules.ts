// A rule the marketer can paste into `segments[].rule` for a cluster, from the features that set it
// apart, and how well that rule matches the cluster on today's data.
import type { DiscoveryFeature } from '../../contract/reports.js';
import type { Condition, Rule } from '../../contract/rules.js';
import { quantileSorted } from '../../stats/vectors.js';
import type { ProfileFeatures } from './features.js';

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

/** Each feature's values over every profile, one typed array per feature (same order as the profiles). */
export type Columns = Record<DiscoveryFeature, Float64Array>;

/**
 * The features as columns: every later pass reads a typed array instead of looking up a property by a
 * variable name on 60,000 objects (that alone was ~60 ms of a report for a min and a max).
 */
export function columnsOf(features: readonly DiscoveryFeature[], profiles: readonly ProfileFeatures[]): Columns {
  return Object.fromEntries(features.map((f) => [f, Float64Array.from(profiles, (p) => p[f])])) as Columns;
}

export type ClusterView = {
  /** standardized centre of this cluster, one value per feature */
  centre: readonly number[];
  /** standardized centres of all clusters */
  centres: readonly (readonly number[])[];
  /** the members' indices into the columns */
  members: readonly number[];
  columns: Columns;
};

/** Lowest and highest value of a column, in a loop: Math.min(...values) overflowed the call stack past ~120,000 profiles. */
function rangeOf(values: Float64Array): [min: number, max: number] {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

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
    const column = view.columns[f];
    const values = Float64Array.from(view.members, (i) => column[i]!).sort();
    const [min, max] = rangeOf(column);
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

/** The rules ruleFor writes as a test of profile `i` (its profile would give the same numbers), resolved once per rule. */
export function matcher(rule: Rule, columns: Columns): (i: number) => boolean {
  if (rule.all) {
    const parts = rule.all.map((r) => matcher(r, columns));
    return (i) => parts.every((m) => m(i));
  }
  if (rule.event === '*') return () => true;
  const f = FEATURE_OF(rule);
  if (!f) return () => false;
  const [column, gte, lte] = [columns[f], rule.gte ?? -Infinity, rule.lte ?? Infinity];
  return (i) => column[i]! >= gte && column[i]! <= lte;
}

/** How many profiles the rule picks, and how well those are the cluster's `members` (indices). */
export function ruleFit(rule: Rule, members: readonly number[], columns: Columns) {
  const test = matcher(rule, columns);
  const everyone = Object.values(columns)[0]?.length ?? 0;
  let hits = 0;
  for (let i = 0; i < everyone; i++) if (test(i)) hits++;
  const inCluster = members.filter(test).length;
  return { matches: hits, precision: hits ? inCluster / hits : 0, recall: members.length ? inCluster / members.length : 0 };
}
