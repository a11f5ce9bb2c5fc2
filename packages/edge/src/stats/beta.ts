// Bayesian chance to beat: P(rate_B > rate_A) with uniform priors, i.e. posteriors
// Beta(1 + conversions, 1 + non-conversions). Computed exactly, not by Monte Carlo, so it is
// deterministic and has no sampling noise.
import { normalCdf } from './normal.js';
import { lnBeta } from './special.js';

/** Above this many terms the exact sum is slow; the posteriors are then so narrow that a normal is exact to ~1e-6. */
const EXACT_TERMS = 20_000;

/**
 * P(X_B > X_A) for X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB), aB a positive integer (Evan Miller's closed form,
 * https://www.evanmiller.org/bayesian-ab-testing.html, eq. for "Pr(p_B > p_A)"):
 *   Σ_{i=0}^{aB−1} B(aA + i, bA + bB) / ((bB + i) B(1 + i, bB) B(aA, bA))
 * All terms are positive, so summing them in log space loses nothing.
 */
export function probBetaGreater(aA: number, bA: number, aB: number, bB: number): number {
  let sum = 0;
  const base = lnBeta(aA, bA);
  for (let i = 0; i < aB; i++) sum += Math.exp(lnBeta(aA + i, bA + bB) - Math.log(bB + i) - lnBeta(1 + i, bB) - base);
  return Math.min(1, Math.max(0, sum));
}

const betaMoments = (a: number, b: number) => ({ mean: a / (a + b), variance: (a * b) / ((a + b) ** 2 * (a + b + 1)) });

/** P(treatment's rate > control's rate) from counts, with Beta(1, 1) priors. */
export function chanceToBeat(control: { conversions: number; n: number }, treatment: { conversions: number; n: number }): number {
  const aA = 1 + control.conversions;
  const bA = 1 + control.n - control.conversions;
  const aB = 1 + treatment.conversions;
  const bB = 1 + treatment.n - treatment.conversions;
  // The sum runs over the first parameter of one side; use the cheaper side (P(B > A) = 1 − P(A > B): ties have probability 0).
  if (Math.min(aA, aB) <= EXACT_TERMS) return aB <= aA ? probBetaGreater(aA, bA, aB, bB) : 1 - probBetaGreater(aB, bB, aA, bA);
  const A = betaMoments(aA, bA);
  const B = betaMoments(aB, bB);
  return normalCdf((B.mean - A.mean) / Math.sqrt(A.variance + B.variance));
}
