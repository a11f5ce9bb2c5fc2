// Silhouette (Rousseeuw 1987): per point, s = (b − a) / max(a, b), where a is the mean distance to its own
// cluster and b the mean distance to the nearest other cluster. Near 1: tight and well apart; near 0: on
// a border; negative: probably in the wrong cluster. O(n²), so callers sample large sets.
import { distance, type Point } from './vectors.js';

/** The distances between every pair of points, row-major n × n: computed once, shared by every k tried. */
export function pairwiseDistances(points: readonly Point[]): Float64Array {
  const n = points.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dij = distance(points[i]!, points[j]!);
      out[i * n + j] = dij;
      out[j * n + i] = dij;
    }
  return out;
}

/**
 * Each point's silhouette for one clustering of the points.
 * @param distances pairwiseDistances(points), when the caller scores several clusterings of the same points
 */
export function silhouettes(points: readonly Point[], assignment: readonly number[], k: number, distances = pairwiseDistances(points)): number[] {
  const n = points.length;
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignment) sizes[c]!++;
  const sums = new Float64Array(k);
  return points.map((_, i) => {
    const own = assignment[i]!;
    // A point alone in its cluster has s = 0 by convention.
    if (sizes[own]! <= 1) return 0;
    sums.fill(0);
    for (let j = 0; j < n; j++) sums[assignment[j]!]! += distances[i * n + j]!; // the point itself adds 0
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) return 0;
    const m = Math.max(a, b);
    return m > 0 ? (b - a) / m : 0;
  });
}

export const meanSilhouette = (s: readonly number[]) => (s.length ? s.reduce((x, y) => x + y, 0) / s.length : 0);
