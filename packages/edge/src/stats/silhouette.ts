// Silhouette (Rousseeuw 1987): per point, s = (b − a) / max(a, b), where a is the mean distance to its own
// cluster and b the mean distance to the nearest other cluster. Near 1: tight and well apart; near 0: on
// a border; negative: probably in the wrong cluster. O(n²), so callers sample large sets.
import { distance, type Point } from './vectors.js';

export function silhouettes(points: readonly Point[], assignment: readonly number[], k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignment) sizes[c]!++;
  return points.map((p, i) => {
    const own = assignment[i]!;
    // A point alone in its cluster has s = 0 by convention.
    if (sizes[own]! <= 1) return 0;
    const sums = new Array<number>(k).fill(0);
    points.forEach((q, j) => {
      if (j !== i) sums[assignment[j]!]! += distance(p, q);
    });
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) return 0;
    const m = Math.max(a, b);
    return m > 0 ? (b - a) / m : 0;
  });
}

export const meanSilhouette = (s: readonly number[]) => (s.length ? s.reduce((x, y) => x + y, 0) / s.length : 0);
