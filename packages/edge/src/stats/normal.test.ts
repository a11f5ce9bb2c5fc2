// Reference values: Python 3's statistics.NormalDist (cdf via erf; inv_cdf is Wichura's AS241, an
// algorithm independent of the one here) and 0.5·math.erfc(z/√2) for the far tail; see
// reference/reference-values.py. 1.959963984540054 is also the textbook 97.5% point.
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSf, twoSidedP, Z95 } from './normal.js';

describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [2.5, 0.9937903346742238],
    [-1.959963984540054, 0.025],
  ])('Φ(%d) = %d', (z, want) => {
    expect(normalCdf(z)).toBeCloseTo(want, 14);
  });

  it.each([
    [5, 2.866515718791946e-7],
    [8, 6.220960574271819e-16],
    [10, 7.619853024160593e-24],
  ])('upper tail at %d keeps 12 significant digits', (z, want) => {
    expect(normalSf(z) / want).toBeCloseTo(1, 12);
  });

  it.each([
    [0.975, 1.9599639845400536],
    [0.995, 2.5758293035489],
    [0.5, 0],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.9999, 3.7190164854557084],
  ])('Φ⁻¹(%d) = %d (AS241)', (p, want) => {
    expect(normalQuantile(p)).toBeCloseTo(want, 12);
  });

  it('round-trips quantile and CDF', () => {
    for (const p of [1e-6, 0.01, 0.2, 0.5, 0.7, 0.99]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(Z95).toBeCloseTo(1.959963984540054, 14);
  });

  it('gives the two-sided p-value of a z statistic', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(0)).toBe(1);
  });
});
