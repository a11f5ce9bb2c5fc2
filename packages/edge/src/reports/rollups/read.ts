// How a report reads the log: closed days from their rollups, today (and later) from the events, split at
// today's midnight (UTC). `?source=raw` reads everything from the events (the split moves to the beginning):
// the same SQL over the same rows, there to check the rollups against and to benchmark them.
import { ensureSchema } from '../../log/event-log.js';
import { fail } from '../../http/errors.js';
import { daysFrom, ensureClosedDays, READY } from './build.js';
import { dayOf, oneOf } from '../params.js';

export const SOURCES = ['rollup', 'raw'] as const;
export type Source = (typeof SOURCES)[number];

export function readSource(value: string | undefined): Source {
  if (value === undefined || value === '') return 'rollup';
  if (!(SOURCES as readonly string[]).includes(value)) fail(400, `unknown source ${JSON.stringify(value.slice(0, 40))}: ${oneOf(SOURCES)}`);
  return value as Source;
}

/** Where a read splits: rollup days before `splitDay`, events from `split` on. */
export type ReadPlan = { split: string; splitDay: string; firstDay: string | null };

const RAW: ReadPlan = { split: '', splitDay: '', firstDay: null };

/** Numbered SQL bindings: `add(v)` gives the placeholder of a value. `?1` is always the site. */
export class Binds {
  readonly values: unknown[];
  constructor(site: string) {
    this.values = [site];
  }
  add(v: unknown): string {
    this.values.push(v);
    return `?${this.values.length}`;
  }
}

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

/**
 * Rows of a rollup `table` for the time range [lo, hi) (lo '' = the log's beginning): the rollup's rows of
 * closed days, and the same rows computed from the events for the rest.
 * @param rows the row SQL of rows.ts, over (site, lo, hi) placeholders
 * @param filter a condition on the rows' columns, applied to both parts
 */
export function rowsOf(plan: ReadPlan, b: Binds, table: string, cols: string, rows: (site: string, lo: string, hi: string) => string, lo: string, hi: string, filter = 'TRUE'): string {
  const rollup = `SELECT ${cols} FROM ${table} WHERE site = ?1 AND day >= ${b.add(lo.slice(0, 10))} AND day < ${b.add(min(hi, plan.split).slice(0, 10))} AND ${filter}`;
  const live = `SELECT ${cols} FROM (${rows('?1', b.add(max(lo, plan.split)), b.add(hi))}) WHERE ${filter}`;
  return `${rollup} UNION ALL ${live}`;
}

const midnight = (day: string) => `${day}T00:00:00.000Z`;

/**
 * The whole closed days inside [from, to), a range that may start and end at any instant: rollup days from
 * `start` up to `end` (midnights), the partial edges [from, start) and [end, to) read from the events. Null when
 * no whole closed day lies inside (read all of it from the events).
 */
export function wholeDays(plan: ReadPlan, from: string, to: string): { start: string; end: string } | null {
  if (!plan.firstDay) return null;
  const first = midnight(plan.firstDay);
  const fromDay = from.slice(0, 10);
  const start = from <= first ? first : from === midnight(fromDay) ? from : midnight(dayOf(Date.parse(midnight(fromDay)) + 86_400_000));
  const toFloor = midnight(to.slice(0, 10));
  const end = toFloor < plan.split ? toFloor : plan.split;
  return start < end ? { start, end } : null;
}

/** Rollup-backed reads trust only ready days: counted in the read's own batch (one snapshot). */
function readyCheck(db: D1Database, site: string, plan: ReadPlan) {
  return db.prepare(`SELECT count(*) AS n FROM report_days WHERE site = ?1 AND ${READY} AND day >= ?2 AND day < ?3`).bind(site, plan.firstDay ?? '', plan.splitDay);
}

export type Reader<T> = (plan: ReadPlan, check: D1PreparedStatement) => Promise<{ value: T; checked: D1Result }>;

/**
 * Plans the read (building the closed days' rollups that are missing), runs it, and checks in its batch that
 * every closed day it relied on was still ready. A day made stale in between (a late event) means one more
 * try; should that race again, the report reads the events alone.
 */
export async function readReport<T>(db: D1Database, site: string, source: Source, read: Reader<T>, now = Date.now()): Promise<T> {
  await ensureSchema(db);
  for (let attempt = 0; source === 'rollup' && attempt < 2; attempt++) {
    const firstDay = await ensureClosedDays(db, site, now);
    const today = dayOf(now);
    const plan: ReadPlan = firstDay ? { split: `${today}T00:00:00.000Z`, splitDay: today, firstDay } : RAW;
    const { value, checked } = await read(plan, readyCheck(db, site, plan));
    const expected = firstDay ? daysFrom(firstDay, today).length : 0;
    if (Number((checked.results[0] as { n?: number } | undefined)?.n ?? 0) === expected) return value;
  }
  return (await read(RAW, readyCheck(db, site, RAW))).value;
}
