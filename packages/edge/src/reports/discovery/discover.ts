// Segment discovery: profiles' behaviour features → log-scaled, standardized → k-means for k = 2…6 →
// the k with the best mean silhouette → each cluster described as a segment a marketer could create.
import { DISCOVERY_FEATURES, type DiscoveryReport, type SuggestedSegment } from '../../contract/reports.js';
import { kMeans, nearest } from '../../stats/kmeans.js';
import { seededRandom } from '../../stats/random.js';
import { meanSilhouette, pairwiseDistances, silhouettes } from '../../stats/silhouette.js';
import { distance, sampleIndices, standardize } from '../../stats/vectors.js';
import type { ProfileFeatures } from './features.js';
import { columnsOf, nameOf, ruleFit, ruleFor } from './rules.js';
import { RFM_GROUPS, rfmGroup, rfmScores } from './rfm.js';

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
/** …and the silhouette, O(n²), on at most this many (scikit-learn's silhouette_score is often sampled so too). */
const SILHOUETTE_SAMPLE = 1000;
const MIN_PROFILES = 20;

/** At least 2 different behaviours are needed, and k centres need k of them. */
const MIN_DISTINCT = 2;
/** How many different rows there are, counting no further than `cap` (joining 60,000 rows took 30 ms). */
function distinctUpTo(rows: readonly number[][], cap: number): number {
  const seen = new Set<string>();
  for (const r of rows) if (seen.add(r.join()).size >= cap) break;
  return seen.size;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function discover(site: string, profiles: readonly ProfileFeatures[], seed = 1): DiscoveryReport {
  const rfm = rfmScores(profiles);
  const counts = new Map(RFM_GROUPS.map((g) => [g, 0]));
  profiles.forEach((p, i) => counts.set(rfmGroup(rfm[i]!, p.orders > 0), counts.get(rfmGroup(rfm[i]!, p.orders > 0))! + 1));
  const base = { site, profiles: profiles.length, features: [...DISCOVERY_FEATURES], rfmGroups: RFM_GROUPS.map((name) => ({ name, size: counts.get(name)! })) };
  const columns = columnsOf(DISCOVERY_FEATURES, profiles);
  // Counts and money are heavy-tailed: log1p keeps a handful of big spenders from being a cluster of their own.
  const { rows } = standardize(profiles.map((_, i) => DISCOVERY_FEATURES.map((f) => Math.log1p(Math.max(0, columns[f][i]!)))));
  const distinctRows = distinctUpTo(rows, Math.max(MIN_DISTINCT, ...K_RANGE));
  if (profiles.length < MIN_PROFILES || distinctRows < MIN_DISTINCT)
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
    const sil = best.s.filter((_, j) => silAssignment[j] === ci);
    const others = best.centroids.map((c, j) => ({ j, d: distance(c, centre) })).filter((x) => x.j !== ci);
    const nearestOther = others.reduce((a, b) => (b.d < a.d ? b : a), others[0]!);
    return { ci, centre, idx, sil, nearestOther };
  });
  // cluster-1 is the largest: a stable order for the dashboard within one answer.
  const order = [...clusters].sort((a, b) => b.idx.length - a.idx.length);
  const idOf = (ci: number) => `cluster-${order.findIndex((c) => c.ci === ci) + 1}`;

  const segments: SuggestedSegment[] = order
    .filter((c) => c.idx.length > 0)
    .map((c) => {
      const rule = ruleFor(DISCOVERY_FEATURES, { centre: c.centre, centres: best.centroids, members: c.idx, columns });
      // every mean of the members in one pass: [features…, r, f, m, distance to the centre]
      const n = DISCOVERY_FEATURES.length;
      const sums = new Array<number>(n + 4).fill(0);
      for (const i of c.idx) {
        const r = rfm[i]!;
        DISCOVERY_FEATURES.forEach((f, j) => (sums[j]! += columns[f][i]!));
        sums[n]! += r.r;
        sums[n + 1]! += r.f;
        sums[n + 2]! += r.m;
        sums[n + 3]! += distance(rows[i]!, c.centre);
      }
      const mean = (j: number) => (c.idx.length ? sums[j]! / c.idx.length : 0);
      const share = c.idx.length / profiles.length;
      return {
        id: idOf(c.ci),
        name: nameOf(DISCOVERY_FEATURES, c.centre),
        size: c.idx.length,
        share: round(share, 4),
        homogeneity: {
          silhouette: round(meanSilhouette(c.sil)),
          spread: round(mean(n + 3)),
        },
        distinctness: { nearest: idOf(c.nearestOther.j), distance: round(c.nearestOther.d) },
        tooSmall: c.idx.length < MIN_SIZE || share < MIN_SHARE,
        means: Object.fromEntries(DISCOVERY_FEATURES.map((f, j) => [f, round(mean(j), 2)])) as SuggestedSegment['means'],
        rfm: { r: round(mean(n), 2), f: round(mean(n + 1), 2), m: round(mean(n + 2), 2) },
        rule,
        ruleFit: (({ matches, precision, recall }) => ({ matches, precision: round(precision), recall: round(recall) }))(ruleFit(rule, c.idx, columns)),
      };
    });
  return { ...base, candidates: tried.map((t) => ({ k: t.k, silhouette: round(t.silhouette) })), k: best.k, sampled: { fit: fitRows.length, silhouette: silRows.length }, segments, note: null };
}
