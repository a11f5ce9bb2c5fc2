// decide() latency: the pure function with 50 segments and 200 variants (goal p50 ≤ 0.2 ms, p99 ≤ 1 ms),
// one call deciding all 20 slots, as an edge render of a page does. Medians over repeats.
import { importTs } from './ts.mjs';

export const name = 'decide';
const CALLS = Number(process.env.BENCH_DECIDE_CALLS ?? 20_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const median = (xs) => pct(xs, 50);

export async function run() {
  const { benchFixture, decide } = await importTs('packages/edge/src/decide/bench-fixture.ts');
  const { compiled, profile, now } = benchFixture();
  const input = (i) => ({
    profile,
    consent: { analytics: true, personalization: true },
    context: { device: 'desktop', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36' },
    bucketingId: `visitor-${i}`,
    now,
  });
  for (let i = 0; i < 2000; i++) decide(compiled, input(i)); // warm up the JIT
  const p50s = [];
  const p99s = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = new Float64Array(CALLS);
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      decide(compiled, input(i));
      t[i] = performance.now() - start;
    }
    p50s.push(pct(t, 50));
    p99s.push(pct(t, 99));
  }
  return [
    {
      bench: 'decide',
      scenario: 'pure decide(): 50 segments, 200 variants, 20 slots, 10 experiments',
      'p50 ms': median(p50s),
      'p99 ms': median(p99s),
      calls: CALLS * REPEATS,
      goal: 'p50 ≤ 0.2 ms, p99 ≤ 1 ms',
    },
  ];
}
