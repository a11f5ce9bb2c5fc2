// Reference values: the pooled z-test is R's prop.test(correct = FALSE) (its X² is z²). 15/50 vs 25/50
// is worked by hand: pooled p = 0.4, se = √(0.4·0.6·2/50) = 0.09798, z = 2.0412, X² = 4.1667; the
// p-values come from Python's NormalDist (reference/reference-values.py). The uplift interval is the
// Katz log interval, recomputed here from its formula with the textbook z = 1.959964.
import { describe, expect, it } from 'vitest';
import { compareProportions } from './proportions.js';

describe('two-proportion comparison', () => {
  it.each([
    [15, 50, 25, 50, 2.041241452319315, 0.041226833337163704],
    [500, 10000, 560, 10000, 1.8937529756356748, 0.05825780603351616],
    [48, 1000, 50, 1000, 0.20716992048140995, 0.8358771576779198],
    [30, 1200, 55, 1180, 2.840386700815488, 0.004505887581073509],
  ])('%d/%d vs %d/%d: z = %d, p = %d', (c1, n1, c2, n2, z, p) => {
    const r = compareProportions({ conversions: c1, n: n1 }, { conversions: c2, n: n2 });
    expect(r.z).toBeCloseTo(z, 12);
    expect(r.pValue).toBeCloseTo(p, 12);
  });

  it('gives the relative uplift with an asymmetric 95% interval around it', () => {
    const r = compareProportions({ conversions: 15, n: 50 }, { conversions: 25, n: 50 });
    expect(r.uplift).toBeCloseTo(2 / 3, 12);
    const se = Math.sqrt(1 / 25 - 1 / 50 + 1 / 15 - 1 / 50);
    expect(r.ci95![0]).toBeCloseTo(Math.exp(Math.log(25 / 15) - 1.959964 * se) - 1, 5);
    expect(r.ci95![1]).toBeCloseTo(Math.exp(Math.log(25 / 15) + 1.959964 * se) - 1, 5);
    expect(r.ci95![0]).toBeGreaterThan(0); // significant at 5%, so the interval excludes 0
    expect(r.ci95![1] - r.uplift!).toBeGreaterThan(r.uplift! - r.ci95![0]);
  });

  it('says "no interval" rather than inventing one when a side has no conversions', () => {
    const r = compareProportions({ conversions: 0, n: 100 }, { conversions: 3, n: 100 });
    expect(r.uplift).toBeNull();
    expect(r.ci95).toBeNull();
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(compareProportions({ conversions: 0, n: 0 }, { conversions: 1, n: 5 }).pValue).toBeNull();
    expect(compareProportions({ conversions: 0, n: 10 }, { conversions: 0, n: 10 }).pValue).toBe(1);
  });

  it('refuses impossible counts', () => {
    expect(() => compareProportions({ conversions: 11, n: 10 }, { conversions: 1, n: 10 })).toThrow(RangeError);
  });
});
