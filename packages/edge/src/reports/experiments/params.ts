// The query string of the experiment and discovery reports: which site, which period, which experiment.
// Bad input is a 400 naming the parameter, so the dashboard can show the message as is.
import { didYouMean, oneOf } from '../../config/problems.js';
import type { CompiledConfig } from '../../config/compile.js';
import { fail } from '../../http/errors.js';

const DAY_MS = 86_400_000;

/** `?site=`, or the config's first site when left out. */
export function siteParam(config: CompiledConfig, value: string | undefined): string {
  const sites = config.sites.map((s) => s.id);
  const site = value ?? sites[0];
  if (!site || !sites.includes(site)) {
    const hint = site ? didYouMean(site, sites) : undefined;
    fail(400, `site: unknown site ${JSON.stringify(site ?? '')}${hint ? ` — did you mean "${hint}"?` : `: ${oneOf(sites)}`}`);
  }
  return site;
}

/**
 * A bound of the period as the event log's timestamp format (toISOString). A day (YYYY-MM-DD) is
 * inclusive, as the dashboard's other reports read it: `from` is its midnight, `to` the next midnight.
 * A date-time is taken as the exact instant.
 */
function bound(name: 'from' | 'to', value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = day ? Date.parse(`${value}T00:00:00.000Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms) || (day && new Date(ms).toISOString().slice(0, 10) !== value))
    fail(400, `${name}: expected a day (YYYY-MM-DD) or an ISO date-time, got ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(day && name === 'to' ? ms + DAY_MS : ms).toISOString();
}

/** Half-open [from, to); `from` null means "since the beginning of the log". */
export type Window = { from: string | null; to: string };

export function windowParams(from: string | undefined, to: string | undefined, now = Date.now()): Window {
  const w = { from: from ? bound('from', from) : null, to: to ? bound('to', to) : new Date(now).toISOString() };
  if (w.from && w.from >= w.to) fail(400, `period: from (${from}) is not before to (${to ?? 'now'})`);
  return w;
}

/** `?experiment=`: one experiment by id, or all of them. */
export function experimentParam<E extends { id: string }>(experiments: readonly E[], value: string | undefined): E[] {
  if (value === undefined) return [...experiments];
  const found = experiments.find((e) => e.id === value);
  if (!found) {
    const ids = experiments.map((e) => e.id);
    const hint = didYouMean(value, ids);
    fail(400, `experiment: unknown experiment ${JSON.stringify(value.slice(0, 80))}${hint ? ` — did you mean "${hint}"?` : `: ${oneOf(ids)}`}`);
  }
  return [found];
}
