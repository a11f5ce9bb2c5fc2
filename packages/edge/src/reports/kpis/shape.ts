// The KPIs of one period, from counts. Pure: the SQL that gathers the counts is in queries.ts.
import { KPI_NAMES, type Kpi, type KpiDefinition, type KpiName } from '../../contract/reports.js';

// The names are the contract's: the overview and before/after answers are keyed by them.
export { KPI_NAMES, type KpiName };

/** What the SQL counts for one period. */
export type KpiCounts = {
  visitors: number;
  orders: number;
  buyers: number;
  revenue: number;
  /** buyers of the period with at least two orders from the beginning of the log up to the period's end */
  repeatBuyers: number;
  /** buyers of the period before, and how many of them did not come back in this one */
  previousBuyers: number;
  churned: number;
  /** each respondent's latest NPS answer (0–10) in the period */
  promoters: number;
  passives: number;
  detractors: number;
};

export type Kpis = Record<KpiName, number | null>;

/** How each KPI is counted, and which direction is good: the dashboard shows both. */
export const KPI_DEFINITIONS: Record<KpiName, KpiDefinition> = {
  visitors: { label: 'Visitors', better: 'up', unit: 'count', definition: 'Distinct anonymous ids with an event in the period (the user id when an event has no anonymous id).' },
  conversion_rate: { label: 'Conversion rate', better: 'up', unit: 'rate', definition: 'Visitors with an Order Completed in the period / visitors.' },
  orders: { label: 'Orders', better: 'up', unit: 'count', definition: 'Order Completed events in the period.' },
  revenue: { label: 'Revenue', better: 'up', unit: 'money', definition: 'Sum of properties.revenue (else properties.total) of the orders.' },
  aov: { label: 'Average order value', better: 'up', unit: 'money', definition: 'Revenue / orders.' },
  repeat_purchase_rate: { label: 'Repeat-purchase rate', better: 'up', unit: 'rate', definition: 'Buyers of the period with two or more orders ever (up to the period end) / buyers of the period.' },
  churn: { label: 'Churn', better: 'down', unit: 'rate', definition: 'Buyers of the previous period of equal length with no event at all in this period / those buyers.' },
  nps: { label: 'NPS', better: 'up', unit: 'score', definition: "Each respondent's latest answer to an NPS question in the period: % promoters (9–10) − % detractors (0–6)." },
};

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
export const round2 = (n: number) => Math.round(n * 100) / 100;

export function kpisOf(c: KpiCounts): Kpis {
  const answered = c.promoters + c.passives + c.detractors;
  return {
    visitors: c.visitors,
    conversion_rate: ratio(c.buyers, c.visitors),
    orders: c.orders,
    revenue: round2(c.revenue),
    aov: c.orders ? round2(c.revenue / c.orders) : null,
    repeat_purchase_rate: ratio(c.repeatBuyers, c.buyers),
    churn: ratio(c.churned, c.previousBuyers),
    nps: answered ? Math.round(((c.promoters - c.detractors) / answered) * 1000) / 10 : null,
  };
}

export type Trend = { value: number | null; previous: number | null; change: number | null; relative: number | null };

export function trendOf(value: number | null, previous: number | null): Trend {
  const change = value !== null && previous !== null ? value - previous : null;
  const relative = change !== null && previous ? change / Math.abs(previous) : null;
  return { value, previous, change, relative };
}

/** Every KPI of the period against the period before, with how it is counted. */
export function kpiTrends(cur: Kpis, prev: Kpis): Record<KpiName, Kpi> {
  const out = {} as Record<KpiName, Kpi>;
  for (const k of KPI_NAMES) out[k] = { ...trendOf(cur[k], prev[k]), ...KPI_DEFINITIONS[k] };
  return out;
}

export type DayRow = { day: string; visitors: number; buyers: number; orders: number; revenue: number };

/** One row per day of the period, zeros where nothing happened, so charts have no gaps. */
export function dailySeries(days: string[], visitors: { day: string; visitors: number }[], orders: { day: string; orders: number; buyers: number; revenue: number }[]): (DayRow & { conversion_rate: number | null })[] {
  const v = new Map(visitors.map((r) => [r.day, r.visitors]));
  const o = new Map(orders.map((r) => [r.day, r]));
  return days.map((day) => {
    const visitors = v.get(day) ?? 0;
    const x = o.get(day);
    const buyers = x?.buyers ?? 0;
    return { day, visitors, buyers, orders: x?.orders ?? 0, revenue: round2(x?.revenue ?? 0), conversion_rate: ratio(buyers, visitors) };
  });
}

/** The UTC days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
