// Data-quality flags, recomputed from what the event log holds. Pure.
// Ingest keeps its flags on the profile (KV), not in the log; but the log holds each identify's traits as
// cleaned, and cleaning is idempotent (a fixed email or E.164 phone passes again unchanged), so running
// the same cleaning again over the logged traits finds exactly the flags ingest raised on them.
import { cleanTraits, type Flag } from '../ingest/clean.js';

export type TraitRow = { v: string | null; traits: string | null; locale: string | null };
export type QualityFlag = { issue: string; path: string; events: number; visitors: number };

export function traitFlags(rows: TraitRow[]): QualityFlag[] {
  const byIssue = new Map<string, { issue: string; path: string; events: number; who: Set<string> }>();
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
      const key = `${f.issue}\u0000${f.path}`;
      const x = byIssue.get(key) ?? { issue: f.issue, path: f.path, events: 0, who: new Set<string>() };
      x.events += 1;
      if (r.v) x.who.add(r.v);
      byIssue.set(key, x);
    }
  }
  return [...byIssue.values()].map(({ who, ...x }) => ({ ...x, visitors: who.size })).sort((a, b) => b.events - a.events || a.issue.localeCompare(b.issue));
}
