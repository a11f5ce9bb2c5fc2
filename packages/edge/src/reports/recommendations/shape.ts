// Recommendation performance per strategy from views, clicks and attributed orders. Pure.
import { round2 } from '../kpis/shape.js';

export type StrategyCounts = { strategy: string; views?: number; viewers?: number; clicks?: number; clickers?: number; orders?: number; revenue?: number };
export type StrategyRow = Required<StrategyCounts> & { ctr: number | null };

/** Merges the three queries' rows by strategy, the most viewed first. */
export function strategyRows(...parts: StrategyCounts[][]): StrategyRow[] {
  const by = new Map<string, StrategyRow>();
  for (const part of parts)
    for (const r of part) {
      const x = by.get(r.strategy) ?? { strategy: r.strategy, views: 0, viewers: 0, clicks: 0, clickers: 0, orders: 0, revenue: 0, ctr: null };
      for (const k of ['views', 'viewers', 'clicks', 'clickers', 'orders', 'revenue'] as const) if (r[k] !== undefined) x[k] = Number(r[k]);
      by.set(r.strategy, x);
    }
  return [...by.values()]
    .map((x) => ({ ...x, revenue: round2(x.revenue), ctr: x.views ? x.clicks / x.views : null }))
    .sort((a, b) => b.views - a.views || b.clicks - a.clicks || a.strategy.localeCompare(b.strategy));
}
