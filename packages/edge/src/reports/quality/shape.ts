// Data-quality flags, recomputed from what the event log holds. Pure.
// Ingest keeps its flags on the profile (KV), not in the log; but the log holds each identify's traits as
// cleaned, and cleaning is idempotent (a fixed email or E.164 phone passes again unchanged), so running
// the same cleaning again over the logged traits finds exactly the flags ingest raised on them.
import { cleanTraits, type Flag } from '../../ingest/clean.js';

export type TraitRow = { day?: string; v: string | null; traits: string | null; locale: string | null };
export type QualityFlag = { issue: string; path: string; events: number; visitors: number };
/** One issue of one visitor ('' for events without an id) on one day: what the rollup keeps. */
export type FlagRow = { day: string; issue: string; path: string; visitor: string; events: number };

/** The issues orders can have (found in SQL), listed after the trait flags in this order. */
export const ORDER_ISSUES = ['order without revenue', 'order without products'];

/** Runs ingest's cleaning over each identify's traits: one row per day, issue, path and visitor. */
export function traitFlagRows(rows: TraitRow[]): FlagRow[] {
  const out = new Map<string, FlagRow>();
  for (const r of rows) {
    let traits: unknown;
    try {
      traits = r.traits ? JSON.parse(r.traits) : null;
    } catch {
      continue;
    }
    if (!traits || typeof traits !== 'object' || Array.isArray(traits)) continue;
    const flags: Flag[] = [];
    cleanTraits({ ...(traits as Record<string, unknown>) }, 'traits', flags, r.locale ?? undefined);
    for (const f of flags) {
      const row = { day: r.day ?? '', issue: f.issue, path: f.path, visitor: r.v ?? '', events: 0 };
      const key = JSON.stringify([row.day, row.issue, row.path, row.visitor]);
      const x = out.get(key) ?? row;
      x.events += 1;
      out.set(key, x);
    }
  }
  return [...out.values()];
}

/** Trait flags first, most events first; then the order issues in a fixed order. */
export function orderFlags(flags: QualityFlag[]): QualityFlag[] {
  const traits = flags.filter((f) => !ORDER_ISSUES.includes(f.issue)).sort((a, b) => b.events - a.events || a.issue.localeCompare(b.issue) || a.path.localeCompare(b.path));
  const orders = ORDER_ISSUES.flatMap((i) => flags.filter((f) => f.issue === i && f.events > 0));
  return [...traits, ...orders];
}

export type BotSummary = { events: number; days: { day: string; count: number }[]; families: { family: string; count: number }[] };

/** Bot events of the period (rows per day and family, as ingest/bots.ts counts them): the total, per day, per family (most first). */
export function botSummary(rows: readonly { day: string; family: string; count: number }[]): BotSummary {
  const days = new Map<string, number>();
  const families = new Map<string, number>();
  for (const r of rows) {
    days.set(r.day, (days.get(r.day) ?? 0) + r.count);
    families.set(r.family, (families.get(r.family) ?? 0) + r.count);
  }
  return {
    events: rows.reduce((s, r) => s + r.count, 0),
    days: [...days].map(([day, count]) => ({ day, count })),
    families: [...families].map(([family, count]) => ({ family, count })).sort((a, b) => b.count - a.count || a.family.localeCompare(b.family)),
  };
}
