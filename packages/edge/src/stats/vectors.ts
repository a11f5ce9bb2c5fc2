// Small vector helpers for clustering: distances and per-column standardization.

export type Point = readonly number[];

export function squaredDistance(a: Point, b: Point): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

export const distance = (a: Point, b: Point) => Math.sqrt(squaredDistance(a, b));

/**
 * Columns to z-scores (population standard deviation), so no feature dominates by its unit. A column
 * with no spread becomes all zeros: it cannot separate anyone.
 */
export function standardize(rows: readonly Point[]): { rows: number[][]; means: number[]; sds: number[] } {
  const d = rows[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const sds = means.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / rows.length));
  return { rows: rows.map((r) => r.map((v, j) => (sds[j]! > 0 ? (v - means[j]!) / sds[j]! : 0))), means, sds };
}

/** The q-quantile (0…1) of ascending values, linear between order statistics (R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** A seeded sample of at most n indices out of 0…size−1 (partial Fisher–Yates), in ascending order. */
export function sampleIndices(size: number, n: number, random: () => number): number[] {
  const idx = Array.from({ length: size }, (_, i) => i);
  if (size <= n) return idx;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (size - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, n).sort((a, b) => a - b);
}
