// What every report reads from its query string: the site and the period. Bad input is a 400 that names
// the parameter and what was expected, so the dashboard can show it as is.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { didYouMean, oneOf } from '../config/problems.js';
import { fail } from '../http/errors.js';

export const DAY_MS = 86_400_000;
/** Longer periods would make one request scan most of a retention's worth of events. */
export const MAX_DAYS = 400;
export const PERIODS = { '7d': 7, '14d': 14, '28d': 28, '30d': 30, '90d': 90, '365d': 365 } as const;

/** A half-open range of event times [start, end), as ISO strings (the event log's timestamp format). */
export type Range = { start: string; end: string };
/** The period a report covers: inclusive UTC days `from`…`to`, and the same range as timestamps. */
export type Period = Range & { from: string; to: string; days: number };

const iso = (ms: number) => new Date(ms).toISOString();
export const dayOf = (ms: number) => iso(ms).slice(0, 10);

/** `YYYY-MM-DD` as a real calendar day (2026-02-30 is refused), to its UTC midnight in ms. */
export function parseDay(name: string, value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(ms) || dayOf(ms) !== value) fail(400, `${name}: expected a day as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return ms;
}

/** Whole UTC days `fromMs`…`toMs` (both midnights, inclusive). */
export function periodOf(fromMs: number, toMs: number): Period {
  const days = Math.round((toMs - fromMs) / DAY_MS) + 1;
  return { from: dayOf(fromMs), to: dayOf(toMs), days, start: iso(fromMs), end: iso(toMs + DAY_MS) };
}

/** The period of equal length just before, for trends. */
export function previousOf(p: Period): Period {
  const fromMs = Date.parse(p.start) - p.days * DAY_MS;
  return periodOf(fromMs, fromMs + (p.days - 1) * DAY_MS);
}

/**
 * `?from=&to=` (inclusive days), or `?period=30d` ending today, or the last 30 days.
 * @param now the clock, for tests
 */
export function readPeriod(q: (k: string) => string | undefined, now = Date.now()): Period {
  const from = q('from');
  const to = q('to');
  const named = q('period');
  if (named !== undefined && (from || to)) fail(400, 'period: give either period or from/to, not both');
  const today = Date.parse(`${dayOf(now)}T00:00:00.000Z`);
  if (named !== undefined) {
    const n = PERIODS[named as keyof typeof PERIODS];
    if (!n) fail(400, `unknown period ${JSON.stringify(named)}: ${oneOf(Object.keys(PERIODS))}, or from/to as YYYY-MM-DD`);
    return periodOf(today - (n - 1) * DAY_MS, today);
  }
  const toMs = to ? parseDay('to', to) : today;
  const fromMs = from ? parseDay('from', from) : toMs - 29 * DAY_MS;
  if (fromMs > toMs) fail(400, `period: from (${dayOf(fromMs)}) is after to (${dayOf(toMs)})`);
  const p = periodOf(fromMs, toMs);
  if (p.days > MAX_DAYS) fail(400, `period: ${p.days} days is longer than the ${MAX_DAYS} a report may cover`);
  return p;
}

/** `?site=`, else the config's first site; an unknown site is named. */
export function readSite(c: Context<AppEnv>): string {
  const sites = c.var.config.sites.map((s) => s.id);
  const site = c.req.query('site') ?? sites[0];
  if (!site || !sites.includes(site)) {
    const hint = site ? didYouMean(site, sites) : undefined;
    fail(400, `unknown site ${JSON.stringify(site ?? '')}${hint ? ` — did you mean "${hint}"?` : `: ${oneOf(sites)}`}`);
  }
  return site;
}

/** A whole number in [min, max], or the default when absent. */
export function readInt(c: Context<AppEnv>, name: string, def: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(400, `${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

export { didYouMean, oneOf };
