// Reference values: closed forms of the chi-square tail for integer degrees of freedom (Abramowitz &
// Stegun 26.4.4–26.4.5; even df are a Poisson sum, odd df erfc plus a finite series), evaluated with
// Python's math module in reference/reference-values.py. 3.841459 and 10.82757 are the 95% and 99.9%
// points of χ²(1) from any table.
import { describe, expect, it } from 'vitest';
import { chiSquareSf, sampleRatioMismatch } from './chi-square.js';

describe('chi-square upper tail', () => {
  it.each([
    [3.841458820694124, 1, 0.05],
    [10.827566170662733, 1, 0.001],
    [1, 1, 0.31731050786291404],
    [5, 2, 0.0820849986238988],
    [7.5, 3, 0.057558451972636406],
    [20, 4, 0.0004993992273873334],
    [0.3, 5, 0.9976430862605288],
    [12, 6, 0.06196880441665896],
  ])('P(χ² ≥ %d | df %d) = %d', (x, df, want) => {
    expect(chiSquareSf(x, df) / want).toBeCloseTo(1, 11);
  });

  it('is 1 at 0 and tiny far out', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(200, 1)).toBeLessThan(1e-40);
  });
});

describe('sample-ratio mismatch', () => {
  it('accepts a 50/50 split with ordinary noise', () => {
    // 5,050 vs 4,950: X² = 2·50²/5000 = 1, p = 0.3173
    const r = sampleRatioMismatch([5050, 4950], [50, 50]);
    expect(r.chiSquare).toBeCloseTo(1, 12);
    expect(r.pValue).toBeCloseTo(0.31731050786291404, 12);
    expect(r.warning).toBe(false);
    expect(r.message).toBeNull();
  });

  it('warns when a 50/50 test splits 5,200 / 4,800 (p ≈ 6e-5)', () => {
    const r = sampleRatioMismatch([5200, 4800], [50, 50]);
    expect(r.chiSquare).toBeCloseTo(16, 12);
    expect(r.pValue).toBeLessThan(0.001);
    expect(r.warning).toBe(true);
    expect(r.message).toMatch(/do not split as the weights say/);
  });

  it('tests against uneven weights with k − 1 degrees of freedom', () => {
    // 20/30/50 of 1,000 → expected 200/300/500; observed 210/290/500: X² = 0.5 + 0.3333 + 0 = 0.8333
    const r = sampleRatioMismatch([210, 290, 500], [20, 30, 50]);
    expect(r.degreesOfFreedom).toBe(2);
    expect(r.chiSquare).toBeCloseTo(0.5 + 1 / 3, 12);
    expect(r.pValue).toBeCloseTo(Math.exp(-r.chiSquare / 2), 12); // df 2: the tail is e^(−x/2)
    expect(r.warning).toBe(false);
  });

  it('flags exposures in an arm of weight 0, and has no opinion without data', () => {
    expect(sampleRatioMismatch([100, 100, 3], [50, 50, 0]).warning).toBe(true);
    expect(sampleRatioMismatch([0, 0], [50, 50])).toMatchObject({ pValue: 1, warning: false });
  });
});
