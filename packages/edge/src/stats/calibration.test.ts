// Calibration by simulation: on A/A tests (no real difference) a 5% test must cry wolf about 5% of the
// time, not 2% (too timid) nor 9% (too eager); and on a real difference it must notice more often. The
// PRNG is seeded, so the figures below are the same on every run.
import { describe, expect, it } from 'vitest';
import { chanceToBeat } from './beta.js';
import { sampleRatioMismatch } from './chi-square.js';
import { compareProportions } from './proportions.js';
import { binomial, seededRandom } from './random.js';

const SIMULATIONS = 4000;
const VISITORS = 1000;

function simulate(seed: number, pControl: number, pTreatment: number) {
  const random = seededRandom(seed);
  let zPositives = 0;
  let bayesPositives = 0;
  for (let i = 0; i < SIMULATIONS; i++) {
    const a = { conversions: binomial(random, VISITORS, pControl), n: VISITORS };
    const b = { conversions: binomial(random, VISITORS, pTreatment), n: VISITORS };
    if (compareProportions(a, b).pValue! < 0.05) zPositives++;
    const p = chanceToBeat(a, b);
    if (p > 0.975 || p < 0.025) bayesPositives++;
  }
  return { z: zPositives / SIMULATIONS, bayes: bayesPositives / SIMULATIONS };
}

describe('calibration', () => {
  it(`A/A: ${SIMULATIONS} simulated tests of ${VISITORS} visitors per arm at 5% → false-positive rate within 4–6%`, () => {
    const { z, bayes } = simulate(20261201, 0.05, 0.05);
    console.log(`A/A false-positive rate at α = 0.05: z-test ${(z * 100).toFixed(2)}%, Bayesian (chance < 2.5% or > 97.5%) ${(bayes * 100).toFixed(2)}%`);
    expect(z).toBeGreaterThanOrEqual(0.04);
    expect(z).toBeLessThanOrEqual(0.06);
    expect(bayes).toBeGreaterThanOrEqual(0.03);
    expect(bayes).toBeLessThanOrEqual(0.07);
  });

  it('A/B with a real +60% uplift (5% → 8%) is detected far more often than 5%', () => {
    const { z } = simulate(7, 0.05, 0.08);
    expect(z).toBeGreaterThan(0.6);
  });

  it('SRM: a correct 50/50 split raises the warning about 0.1% of the time, a 53/47 split of 10,000 nearly always', () => {
    const random = seededRandom(99);
    let fair = 0;
    let skewed = 0;
    for (let i = 0; i < SIMULATIONS; i++) {
      const a = binomial(random, 2000, 0.5);
      if (sampleRatioMismatch([a, 2000 - a], [50, 50]).warning) fair++;
      const b = binomial(random, 10_000, 0.53);
      if (sampleRatioMismatch([b, 10_000 - b], [50, 50]).warning) skewed++;
    }
    expect(fair / SIMULATIONS).toBeLessThan(0.004);
    expect(skewed / SIMULATIONS).toBeGreaterThan(0.95);
  });
});
