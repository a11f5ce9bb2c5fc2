// Segment discovery: profiles' behaviour features → log-scaled, standardized → k-means for k = 2…6 →
// the k with the best mean silhouette → each cluster described as a segment a marketer could create.
import { DISCOVERY_FEATURES, type DiscoveryReport, type SuggestedSegment } from '../contract/reports.js';
import { kMeans, nearest } from '../stats/kmeans.js';
import { seededRandom } from '../stats/random.js';
import { meanSilhouette, pairwiseDistances, silhouettes } from '../stats/silhouette.js';
import { distance, sampleIndices, standardize } from '../stats/vectors.js';
import type { ProfileFeatures } from './discovery-features.js';
import { nameOf, ruleFit, ruleFor } from './discovery-rules.js';
import { RFM_GROUPS, rfmGroup, rfmScores } from './discovery-rfm.js';

export const K_RANGE = [2, 3, 4, 5, 6];
/** Too small to act on: fewer profiles than this… */
export const MIN_SIZE = 50;
/** …or a smaller share of all profiles than this. */
export const MIN_SHARE = 0.05;
/**
 * k-means runs on at most this many profiles (then everyone is assigned to the nearest centre): 2,000 points
 * place ≤ 6 centres in 6 dimensions well (the 150,000-profile test finds the same groups), and 5,000 took a
 * third of a 1-second answer on 60,000 profiles…
 */
const FIT_SAMPLE = 2000;
/** …and the silhouette, O(n²), on at most this many. */
const SILHOUETTE_SAMPLE = 1500;
const MIN_PROFILES = 20;

/** Counts and money are heavy-tailed: log1p keeps a handful of big spenders from being a cluster of their own. */
const scaled = (p: ProfileFeatures) => DISCOVERY_FEATURES.map((f) => Math.log1p(Math.max(0, p[f])));

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function discover(site: string, profiles: readonly ProfileFeatures[], seed = 1): DiscoveryReport {
  const rfm = rfmScores(profiles);
  const counts = new Map(RFM_GROUPS.map((g) => [g, 0]));
  profiles.forEach((p, i) => counts.set(rfmGroup(rfm[i]!, p.orders > 0), counts.get(rfmGroup(rfm[i]!, p.orders > 0))! + 1));
  const base = { site, profiles: profiles.length, features: [...DISCOVERY_FEATURES], rfmGroups: RFM_GROUPS.map((name) => ({ name, size: counts.get(name)! })) };
  const { rows } = standardize(profiles.map(scaled));
  const distinctRows = new Set(rows.map((r) => r.join())).size;
  if (profiles.length < MIN_PROFILES || distinctRows < 2)
    return { ...base, candidates: [], k: null, sampled: { fit: 0, silhouette: 0 }, segments: [], note: `${profiles.length} profiles with ${distinctRows} distinct behaviours: too few to find segments (needs ${MIN_PROFILES} and some variety)` };

  const random = seededRandom(seed);
  const fitIdx = sampleIndices(rows.length, FIT_SAMPLE, random);
  const fitRows = fitIdx.map((i) => rows[i]!);
  const silIdx = sampleIndices(rows.length, SILHOUETTE_SAMPLE, random);
  const silRows = silIdx.map((i) => rows[i]!);
  const silDistances = pairwiseDistances(silRows);
  const tried = K_RANGE.filter((k) => k <= distinctRows).map((k) => {
    const c = kMeans(fitRows, k, random);
    const s = silhouettes(silRows, silRows.map((r) => nearest(r, c.centroids).index), k, silDistances);
    return { k, centroids: c.centroids, s, silhouette: meanSilhouette(s) };
  });
  const best = tried.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));

  const assignment = rows.map((r) => nearest(r, best.centroids).index);
  const silAssignment = silRows.map((r) => nearest(r, best.centroids).index);
  const clusters = best.centroids.map((centre, ci) => {
    const idx = assignment.flatMap((a, i) => (a === ci ? [i] : []));
    const members = idx.map((i) => profiles[i]!);
    const sil = best.s.filter((_, j) => silAssignment[j] === ci);
    const others = best.centroids.map((c, j) => ({ j, d: distance(c, centre) })).filter((x) => x.j !== ci);
    const nearestOther = others.reduce((a, b) => (b.d < a.d ? b : a), others[0]!);
    return { ci, centre, idx, members, sil, nearestOther };
  });
  // cluster-1 is the largest: a stable order for the dashboard within one answer.
  const order = [...clusters].sort((a, b) => b.members.length - a.members.length);
  const idOf = (ci: number) => `cluster-${order.findIndex((c) => c.ci === ci) + 1}`;

  const segments: SuggestedSegment[] = order
    .filter((c) => c.members.length > 0)
    .map((c) => {
      const rule = ruleFor(DISCOVERY_FEATURES, { centre: c.centre, centres: best.centroids, members: c.members, everyone: profiles });
      const mean = (f: (i: number) => number) => (c.idx.length ? c.idx.reduce((s, i) => s + f(i), 0) / c.idx.length : 0);
      const share = c.members.length / profiles.length;
      return {
        id: idOf(c.ci),
        name: nameOf(DISCOVERY_FEATURES, c.centre),
        size: c.members.length,
        share: round(share, 4),
        homogeneity: {
          silhouette: round(meanSilhouette(c.sil)),
          spread: round(mean((i) => distance(rows[i]!, c.centre))),
        },
        distinctness: { nearest: idOf(c.nearestOther.j), distance: round(c.nearestOther.d) },
        tooSmall: c.members.length < MIN_SIZE || share < MIN_SHARE,
        means: Object.fromEntries(DISCOVERY_FEATURES.map((f) => [f, round(mean((i) => profiles[i]![f]), 2)])) as SuggestedSegment['means'],
        rfm: { r: round(mean((i) => rfm[i]!.r), 2), f: round(mean((i) => rfm[i]!.f), 2), m: round(mean((i) => rfm[i]!.m), 2) },
        rule,
        ruleFit: (({ matches, precision, recall }) => ({ matches, precision: round(precision), recall: round(recall) }))(ruleFit(rule, c.members, profiles)),
      };
    });
  return { ...base, candidates: tried.map((t) => ({ k: t.k, silhouette: round(t.silhouette) })), k: best.k, sampled: { fit: fitRows.length, silhouette: silRows.length }, segments, note: null };
}
