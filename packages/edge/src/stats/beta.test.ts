// Reference values: P(p_B > p_A) by numerical integration, ∫ f_B(x)·F_A(x) dx with Simpson's rule and
// the Beta CDF written as a binomial tail — a different method from the closed-form sum under test —
// in reference/reference-values.py. 0/10 vs 1/10 is also exact by hand: 16/21.
import { describe, expect, it } from 'vitest';
import { chanceToBeat } from './beta.js';

const c = (conversions: number, n: number) => ({ conversions, n });

describe('chance to beat control', () => {
  it.each([
    [10, 100, 15, 100, 0.853283789934002],
    [48, 1000, 50, 1000, 0.5816112663022449],
    [0, 10, 1, 10, 16 / 21],
    [30, 1200, 55, 1180, 0.9977549186832301],
    [5, 20, 2, 20, 0.11895948481314343],
  ])('%d/%d vs %d/%d → %d', (ca, na, cb, nb, want) => {
    expect(chanceToBeat(c(ca, na), c(cb, nb))).toBeCloseTo(want, 9);
  });

  it('is one half for identical arms and symmetric when they swap', () => {
    expect(chanceToBeat(c(40, 800), c(40, 800))).toBeCloseTo(0.5, 12);
    expect(chanceToBeat(c(10, 100), c(15, 100)) + chanceToBeat(c(15, 100), c(10, 100))).toBeCloseTo(1, 12);
  });

  it('switches to the normal approximation for huge counts and stays continuous there', () => {
    // 20,000 conversions is the switch; both sides of it agree to 1e-4.
    const exact = chanceToBeat(c(19_990, 400_000), c(20_150, 400_000));
    const approx = chanceToBeat(c(20_010, 400_000), c(20_170, 400_000));
    expect(Math.abs(exact - approx)).toBeLessThan(5e-3);
    expect(approx).toBeGreaterThan(0.75);
  });
});
