// Chi-square tail and the sample-ratio-mismatch check: do an experiment's exposures split the way its
// arm weights say? A broken split (redirects, bots, caching, a bucketing bug) biases every other number.
import { gammaQ } from './special.js';

/** P(χ²_df ≥ x), R's pchisq(x, df, lower.tail = FALSE). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Below this p-value the split is called broken (the industry convention: rare enough to not cry wolf). */
export const SRM_ALPHA = 0.001;

export type SrmCheck = {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  warning: boolean;
  message: string | null;
};

/**
 * Pearson goodness of fit of the observed counts against the weights (any scale; normalized here).
 * Arms of weight 0 take no part in the test, but exposures in one are a warning by themselves.
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmCheck {
  if (observed.length !== weights.length) throw new RangeError('one weight per observed count');
  const live = observed.map((o, i) => ({ o, w: weights[i]!, i })).filter((a) => a.w > 0);
  const strays = observed.filter((o, i) => weights[i]! <= 0 && o > 0).length;
  const total = live.reduce((s, a) => s + a.o, 0);
  const weightSum = live.reduce((s, a) => s + a.w, 0);
  const df = Math.max(live.length - 1, 1);
  if (total === 0 || live.length < 2)
    return { chiSquare: 0, degreesOfFreedom: df, pValue: 1, warning: strays > 0, message: strays ? 'exposures in an arm of weight 0' : null };
  let chiSquare = 0;
  for (const a of live) {
    const expected = (total * a.w) / weightSum;
    chiSquare += (a.o - expected) ** 2 / expected;
  }
  const pValue = chiSquareSf(chiSquare, df);
  const mismatch = pValue < SRM_ALPHA;
  const message = strays
    ? 'exposures in an arm of weight 0: the split is broken, do not trust these results'
    : mismatch
      ? `the exposures do not split as the weights say (p = ${pValue.toExponential(1)} < ${SRM_ALPHA}): find the cause before trusting these results`
      : null;
  return { chiSquare, degreesOfFreedom: df, pValue, warning: mismatch || strays > 0, message };
}
