// Numbers as a marketer reads them. Locale-aware, never throwing on null (shown as "–").
const nf = (o: Intl.NumberFormatOptions) => new Intl.NumberFormat(undefined, o);
const count = nf({ maximumFractionDigits: 0 });
const money = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = nf({ style: 'percent', maximumFractionDigits: 1 });

export type Unit = 'count' | 'rate' | 'money' | 'score';

export function fmt(v: number | null | undefined, unit: Unit = 'count'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (unit === 'rate') return pct.format(v);
  if (unit === 'money') return money.format(v);
  if (unit === 'score') return nf({ maximumFractionDigits: 1 }).format(v);
  return count.format(v);
}

/** A change in the unit's own terms: percentage points for rates, the relative change otherwise. */
export function fmtChange(change: number | null, relative: number | null, unit: Unit): string {
  if (change === null) return 'no previous data';
  if (unit === 'rate') return `${change >= 0 ? '+' : ''}${nf({ maximumFractionDigits: 1 }).format(change * 100)} pts`;
  if (unit === 'score') return `${change >= 0 ? '+' : ''}${fmt(change, 'score')}`;
  return relative === null ? `${change >= 0 ? '+' : ''}${fmt(change, unit)}` : `${relative >= 0 ? '+' : ''}${pct.format(relative)}`;
}

export const fmtPct = (v: number | null | undefined) => fmt(v, 'rate');
