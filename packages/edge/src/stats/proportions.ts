// Two conversion rates compared the frequentist way: the pooled two-proportion z-test (identical to
// R's prop.test(correct = FALSE), whose X² is z²) and the relative uplift with a 95% interval.
import { twoSidedP, Z95 } from './normal.js';

export type Counts = { conversions: number; n: number };

export type ProportionComparison = {
  /** (p_t − p_c) / p_c; null when the control rate is 0 */
  uplift: number | null;
  /** 95% interval of the uplift; null when either side has no conversions (or all converted) */
  ci95: [number, number] | null;
  z: number | null;
  /** null when a side has no visitors */
  pValue: number | null;
};

function check({ conversions, n }: Counts) {
  if (!(Number.isInteger(conversions) && Number.isInteger(n) && conversions >= 0 && n >= 0 && conversions <= n))
    throw new RangeError(`counts must be integers with 0 ≤ conversions ≤ n, got ${conversions}/${n}`);
}

/**
 * The uplift's interval uses the delta method on log(p_t / p_c) (the Katz log interval for a risk ratio):
 * log RR ± 1.96 · sqrt(1/x_t − 1/n_t + 1/x_c − 1/n_c), exponentiated, minus 1. Asymmetric around the
 * estimate, as a ratio's should be, and never below −100%.
 */
export function compareProportions(control: Counts, treatment: Counts): ProportionComparison {
  check(control);
  check(treatment);
  if (control.n === 0 || treatment.n === 0) return { uplift: null, ci95: null, z: null, pValue: null };
  const pc = control.conversions / control.n;
  const pt = treatment.conversions / treatment.n;
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  // Everyone or no one converted on both sides: no evidence of a difference.
  const z = se > 0 ? (pt - pc) / se : 0;
  const pValue = twoSidedP(z);
  const uplift = pc > 0 ? pt / pc - 1 : null;
  let ci95: [number, number] | null = null;
  if (control.conversions > 0 && treatment.conversions > 0) {
    const logRatio = Math.log(pt / pc);
    const seLog = Math.sqrt(1 / treatment.conversions - 1 / treatment.n + 1 / control.conversions - 1 / control.n);
    // seLog is 0 only when both sides converted fully; the interval is then the point.
    ci95 = [Math.exp(logRatio - Z95 * seLog) - 1, Math.exp(logRatio + Z95 * seLog) - 1];
  }
  return { uplift, ci95, z, pValue };
}
