// Keeps the recommendation benchmark honest on a small sample: the tastes planted in the synthetic shoppers
// must be found, and beat the popularity list by the margins. Deterministic (fixed seed).
import { describe, expect, it } from 'vitest';
import { runRecsBenchmark } from '../../../../bench/recs.js';

describe('recommendation benchmark (small sample)', () => {
  const rows = runRecsBenchmark({ shoppers: 800, seed: 7, serving: false });
  const hit = (scenario: string) => rows.find((r) => r.scenario === scenario)!['hit@8'] as number;

  it('for-you finds the planted skin type and categories: ≥ 3× the popularity hit-rate', () => {
    expect(hit('for-you (with history)')).toBeGreaterThanOrEqual(3 * hit('popular (with history)'));
  });

  it('quiz alone, for shoppers with no history, is ≥ 2× the popularity hit-rate', () => {
    expect(hit('quiz (no history)')).toBeGreaterThanOrEqual(2 * hit('popular (no history)'));
  });

  it('bought-together finds the brand-line loyalty: its suggestions are bought far more often than chance', () => {
    const bt = rows.find((r) => String(r.scenario ?? '').startsWith('bought-together alone'))!;
    expect(bt.coverage as number).toBeGreaterThan(0.9);
    expect(bt['precision@8'] as number).toBeGreaterThan(3 * (1 / 200)); // a random in-stock product: ~1/200
  });
});
