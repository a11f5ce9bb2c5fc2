// RFM scores (recency, frequency, monetary; quintiles 1–5) and the classic groups marketers know.
// Scored among buyers only, by days since their last order, their orders and their revenue: a non-buyer
// has no purchase recency, and letting the many zeros in share the quintiles would squash every buyer
// into the top scores. Non-buyers score 1/1/1.
import type { RfmScores } from '../../contract/reports.js';
import type { ProfileFeatures } from './features.js';

/** 1–5 by mid-rank percentile (ties share a score); `lowerIsBetter` flips it (recency). */
export function quintileScores(values: readonly number[], lowerIsBetter = false): number[] {
  const sorted = Float64Array.from(values).sort(); // numeric order, several times faster than a comparator
  const below = (v: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const equalOrBelow = (v: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => {
    const pct = (below(v) + (equalOrBelow(v) - below(v)) / 2) / sorted.length;
    const score = Math.min(5, 1 + Math.floor(pct * 5));
    return lowerIsBetter ? 6 - score : score;
  });
}

export function rfmScores(profiles: readonly ProfileFeatures[]): RfmScores[] {
  const buyers = profiles.map((p, i) => ({ p, i })).filter(({ p }) => p.orders > 0);
  const r = quintileScores(buyers.map(({ p }) => p.daysSinceLastOrder ?? 0), true);
  const f = quintileScores(buyers.map(({ p }) => p.orders));
  const m = quintileScores(buyers.map(({ p }) => p.revenue));
  const out: RfmScores[] = profiles.map(() => ({ r: 1, f: 1, m: 1 }));
  buyers.forEach(({ i }, j) => (out[i] = { r: r[j]!, f: f[j]!, m: m[j]! }));
  return out;
}

/** The usual RFM groups, on recency and the mean of frequency and monetary. */
export function rfmGroup(s: RfmScores, buyer: boolean): string {
  if (!buyer) return 'not yet buyers';
  const fm = (s.f + s.m) / 2;
  if (s.r >= 4 && fm >= 4) return 'champions';
  if (s.r >= 3 && fm >= 3) return 'loyal';
  if (s.r >= 4) return 'new customers';
  if (s.r <= 2 && fm >= 3) return 'at risk';
  if (s.r <= 2) return 'hibernating';
  return 'need attention';
}

export const RFM_GROUPS = ['champions', 'loyal', 'new customers', 'need attention', 'at risk', 'hibernating', 'not yet buyers'];
