// k-means and the silhouette on synthetic data whose answer is known: blobs drawn around chosen centres.
import { describe, expect, it } from 'vitest';
import { kMeans } from './kmeans.js';
import { seededRandom } from './random.js';
import { meanSilhouette, silhouettes } from './silhouette.js';
import { quantileSorted, standardize } from './vectors.js';

/** Gaussian blobs (Box–Muller) of `size` points around each centre, with their true labels. */
function blobs(centres: number[][], size: number, sd: number, seed: number) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points: number[][] = [];
  const labels: number[] = [];
  centres.forEach((c, label) => {
    for (let i = 0; i < size; i++) {
      points.push(c.map((x) => x + sd * gauss()));
      labels.push(label);
    }
  });
  return { points, labels };
}

/** Share of pairs on which two labelings agree (Rand index): 1 = same partition, whatever the cluster numbers. */
function randIndex(a: number[], b: number[]) {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      pairs++;
      if ((a[i] === a[j]) === (b[i] === b[j])) agree++;
    }
  return agree / pairs;
}

const CENTRES = [[0, 0, 0], [6, 0, 1], [0, 6, -1], [5, 5, 5]];

describe('k-means', () => {
  it('recovers four well-separated blobs', () => {
    const { points, labels } = blobs(CENTRES, 60, 0.8, 1);
    const c = kMeans(points, 4, seededRandom(2));
    expect(randIndex(c.assignment, labels)).toBeGreaterThan(0.99);
    // each found centre lies near a true one
    for (const centre of c.centroids) expect(Math.min(...CENTRES.map((t) => Math.hypot(...t.map((x, i) => x - centre[i]!))))).toBeLessThan(0.5);
  });

  it('gives the same answer for the same seed', () => {
    const { points } = blobs(CENTRES, 30, 1.5, 3);
    expect(kMeans(points, 3, seededRandom(9)).assignment).toEqual(kMeans(points, 3, seededRandom(9)).assignment);
  });

  it('copes with duplicate points and refuses an impossible k', () => {
    const same = Array.from({ length: 10 }, () => [1, 1]);
    expect(kMeans(same, 3, seededRandom(1)).inertia).toBe(0);
    expect(() => kMeans(same, 11, seededRandom(1))).toThrow(RangeError);
  });
});

describe('silhouette', () => {
  it.each([2, 3, 4, 5])('picks k = %d for %d blobs among k = 2…6', (trueK) => {
    const { points } = blobs(CENTRES.concat([[-5, 3, 4]]).slice(0, trueK), 40, 0.7, 10 + trueK);
    const scores = [2, 3, 4, 5, 6].map((k) => {
      const c = kMeans(points, k, seededRandom(k));
      return { k, s: meanSilhouette(silhouettes(points, c.assignment, k)) };
    });
    const best = scores.reduce((a, b) => (b.s > a.s ? b : a));
    expect(best.k).toBe(trueK);
    expect(best.s).toBeGreaterThan(0.6);
  });

  it('is near 0 for one structureless cloud and matches a hand-computed case', () => {
    const { points } = blobs([[0, 0]], 150, 1, 5);
    const c = kMeans(points, 2, seededRandom(1));
    expect(meanSilhouette(silhouettes(points, c.assignment, 2))).toBeLessThan(0.5);
    // 1-D: {0, 1} and {4}: s(0) = (4 − 1)/4 = 0.75, s(1) = (3 − 1)/3 = 2/3, s(4) = 0 (alone)
    expect(silhouettes([[0], [1], [4]], [0, 0, 1], 2)).toEqual([0.75, 2 / 3, 0]);
  });
});

describe('vector helpers', () => {
  it('standardizes columns and leaves a constant column at 0', () => {
    const s = standardize([[1, 5], [3, 5]]);
    expect(s.rows).toEqual([[-1, 0], [1, 0]]);
    // R: quantile(c(1, 2, 3, 4), 0.1) = 1.3 (type 7)
    expect(quantileSorted([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
  });
});
