// k-means (Lloyd) with k-means++ seeding and a few seeded restarts, keeping the lowest inertia.
import { squaredDistance, type Point } from './vectors.js';

export type Clustering = { centroids: number[][]; assignment: number[]; inertia: number };

/** Index of the nearest centroid and the squared distance to it. */
export function nearest(p: Point, centroids: readonly Point[]): { index: number; d2: number } {
  let index = 0;
  let d2 = Infinity;
  centroids.forEach((c, i) => {
    const d = squaredDistance(p, c);
    if (d < d2) [index, d2] = [i, d];
  });
  return { index, d2 };
}

/** k-means++: each next centre drawn with probability proportional to D², the squared distance to the nearest chosen one. */
function seedCentroids(points: readonly Point[], k: number, random: () => number): number[][] {
  const centroids = [[...points[Math.floor(random() * points.length)]!]];
  const d2 = points.map((p) => squaredDistance(p, centroids[0]!));
  while (centroids.length < k) {
    const total = d2.reduce((s, v) => s + v, 0);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      while (pick < points.length - 1 && (r -= d2[pick]!) > 0) pick++;
    } else pick = Math.floor(random() * points.length); // all points coincide with a centre
    const c = [...points[pick]!];
    centroids.push(c);
    points.forEach((p, i) => (d2[i] = Math.min(d2[i]!, squaredDistance(p, c))));
  }
  return centroids;
}

function lloyd(points: readonly Point[], centroids: number[][], maxIterations: number): Clustering {
  const k = centroids.length;
  const d = points[0]!.length;
  let assignment = points.map(() => -1);
  for (let it = 0; it < maxIterations; it++) {
    const next = points.map((p) => nearest(p, centroids).index);
    const changed = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    if (!changed) break;
    const sums = Array.from({ length: k }, () => new Array<number>(d).fill(0));
    const counts = new Array<number>(k).fill(0);
    points.forEach((p, i) => {
      counts[assignment[i]!]!++;
      for (let j = 0; j < d; j++) sums[assignment[i]!]![j]! += p[j]!;
    });
    // An emptied cluster keeps its old centre (it may win points back next round).
    centroids = centroids.map((c, ci) => (counts[ci]! > 0 ? sums[ci]!.map((s) => s / counts[ci]!) : c));
  }
  const inertia = points.reduce((s, p, i) => s + squaredDistance(p, centroids[assignment[i]!]!), 0);
  return { centroids, assignment, inertia };
}

export function kMeans(points: readonly Point[], k: number, random: () => number, options: { restarts?: number; maxIterations?: number } = {}): Clustering {
  if (k < 1 || k > points.length) throw new RangeError(`k must be between 1 and the number of points (${points.length}), got ${k}`);
  let best: Clustering | undefined;
  for (let r = 0; r < (options.restarts ?? 4); r++) {
    const c = lloyd(points, seedCentroids(points, k, random), options.maxIterations ?? 100);
    if (!best || c.inertia < best.inertia) best = c;
  }
  return best!;
}
