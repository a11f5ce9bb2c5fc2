// Reference values: Python 3's math.lgamma / math.erfc (the C library's implementations), printed by
// reference/reference-values.py, and closed forms (Γ(1/2) = √π, erfc(0) = 1).
import { describe, expect, it } from 'vitest';
import { erfc, gammaP, gammaQ, lnBeta, lnGamma } from './special.js';

describe('lnGamma', () => {
  it.each([
    [0.5, 0.5723649429247004],
    [1, 0],
    [3.5, 1.2009736023470738],
    [10, 12.801827480081467],
    [100.5, 361.4355404677776],
    [1e5, 1051287.7089736566],
  ])('ln Γ(%d) = %d (Python math.lgamma)', (x, want) => {
    // relative: ln Γ(1e5) ≈ 1e6, where doubles carry ~1e-10 absolute
    expect(x === 1 ? lnGamma(x) : lnGamma(x) / want).toBeCloseTo(x === 1 ? 0 : 1, 13);
  });

  it('matches ln((n−1)!) exactly for integers and the reflection below 1/2', () => {
    expect(lnGamma(7)).toBeCloseTo(Math.log(720), 12);
    expect(lnGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 12); // Γ(1/4), A&S table 6.1
  });

  it('gives ln B(a, b) for integers as a factorial ratio', () => {
    // B(3, 4) = 2! 3! / 6! = 1/60
    expect(lnBeta(3, 4)).toBeCloseTo(Math.log(1 / 60), 12);
  });
});

describe('erfc and the incomplete gamma', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047265],
    [-1, 1.842700792949715],
  ])('erfc(%d) = %d (Python math.erfc)', (x, want) => {
    expect(erfc(x)).toBeCloseTo(want, 14);
  });

  it('keeps its relative precision deep in the tail', () => {
    expect(erfc(4) / 1.541725790028002e-8).toBeCloseTo(1, 11);
  });

  it('P + Q = 1 on both sides of the series / continued-fraction switch', () => {
    for (const [a, x] of [[2, 1], [2, 3.5], [10, 9], [10, 12], [0.5, 30]] as const) expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 14);
    // P(1, x) = 1 − e^−x (exponential distribution)
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
  });

  it('refuses arguments outside its domain', () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => gammaQ(-1, 1)).toThrow(RangeError);
  });
});
