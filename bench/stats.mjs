// Percentiles for the benchmarks: nearest-rank, so a p99 is a latency that actually happened.
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
export const median = (xs) => pct(xs, 50);
