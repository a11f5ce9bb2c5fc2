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

/**
 * Lloyd's iterations on the points packed row by row into one Float64Array (`flat`, n × d): the loops read
 * packed numbers and allocate nothing per point (discovery runs 20 of these per report).
 */
function lloyd(flat: Float64Array, n: number, d: number, start: number[][], maxIterations: number, tolerance: number): Clustering {
  const k = start.length;
  const centres = new Float64Array(k * d);
  start.forEach((c, ci) => centres.set(c, ci * d));
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const nearestCentre = (i: number) => {
    let index = 0;
    let d2 = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = flat[i * d + j]! - centres[c * d + j]!;
        s += x * x;
      }
      if (s < d2) {
        index = c;
        d2 = s;
      }
    }
    return index;
  };
  for (let it = 0; it < maxIterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const c = nearestCentre(i);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    }
    if (!changed) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += flat[i * d + j]!;
    }
    // An emptied cluster keeps its old centre (it may win points back next round).
    let shift = 0;
    for (let c = 0; c < k; c++)
      if (counts[c]! > 0)
        for (let j = 0; j < d; j++) {
          const moved = sums[c * d + j]! / counts[c]! - centres[c * d + j]!;
          shift += moved * moved;
          centres[c * d + j]! += moved;
        }
    // Border points of heavy-tailed, mostly whole-number data can swap clusters for dozens of rounds while the
    // centres barely move: stop once they have settled (scikit-learn's rule, the same default tolerance).
    if (shift <= tolerance) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) inertia += (flat[i * d + j]! - centres[assignment[i]! * d + j]!) ** 2;
  const centroids = Array.from({ length: k }, (_, c) => Array.from(centres.subarray(c * d, c * d + d)));
  return { centroids, assignment: Array.from(assignment), inertia };
}

export function kMeans(points: readonly Point[], k: number, random: () => number, options: { restarts?: number; maxIterations?: number; tolerance?: number } = {}): Clustering {
  if (k < 1 || k > points.length) throw new RangeError(`k must be between 1 and the number of points (${points.length}), got ${k}`);
  const d = points[0]!.length;
  const flat = new Float64Array(points.length * d);
  points.forEach((p, i) => flat.set(p, i * d));
  // Settled: the centres' total squared move in one round is at most 1e-4 × the points' mean column variance.
  let variance = 0;
  for (let j = 0; j < d; j++) {
    let [sum, squares] = [0, 0];
    for (let i = 0; i < points.length; i++) [sum, squares] = [sum + flat[i * d + j]!, squares + flat[i * d + j]! ** 2];
    variance += squares / points.length - (sum / points.length) ** 2;
  }
  const tolerance = (options.tolerance ?? 1e-4) * Math.max(0, variance / d);
  let best: Clustering | undefined;
  for (let r = 0; r < (options.restarts ?? 4); r++) {
    const c = lloyd(flat, points.length, d, seedCentroids(points, k, random), options.maxIterations ?? 100, tolerance);
    if (!best || c.inertia < best.inertia) best = c;
  }
  return best!;
}
