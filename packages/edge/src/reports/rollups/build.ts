// Builds the per-day rollups of closed days (before today, UTC) that are missing or were marked stale.
// The SQL-computable rows go in one D1 batch (a transaction) with the day's marker (ready = 0, a fresh token);
// the trait checks, which only JS can run, follow in a second batch that writes only while the marker still
// carries that token and only then sets ready = 1. An event logged for the day in between deletes the marker,
// so the half-built day never counts and the next report rebuilds it.
import { ROLLUP_TABLES } from '../../log/rollup-schema.js';
import { dayOf, DAY_MS } from '../params.js';
import { traitFlagRows, type TraitRow } from '../quality/shape.js';
import {
  ANONYMOUS_COLS,
  ANSWER_COLS,
  anonymousDayRows,
  answerRows,
  clickRows,
  EXPOSURE_COLS,
  exposureRows,
  identifyRows,
  linkRows,
  NAME_COLS,
  nameDayRows,
  ORDER_COLS,
  orderDayRows,
  orderIssueRows,
  orderRows,
  segmentDayRows,
  strategyDayRows,
  USER_COLS,
  userDayRows,
  visitorDayRows,
} from './rows.js';

/**
 * The rollups' version, the prefix of each day's token: a day built before a rollup table was added (0008:
 * report_anonymous_days; 0012: the tables that let closed days leave the event window) lacks its rows, so only days
 * whose token carries this version count as ready. A day that already left the window (log/event-window.ts) has no
 * events to rebuild from: bump the version only together with a way to rebuild those days (from the archive).
 */
export const ROLLUP_VERSION = 'v3:';
/** Ready days of this version: `AND ${READY}` after the site and day conditions on report_days. */
export const READY = `ready = 1 AND token LIKE '${ROLLUP_VERSION}%'`;

/** Days (YYYY-MM-DD) per build batch: bounds the work of one D1 transaction. */
const DAYS_PER_BATCH = 31;

const midnight = (day: string) => `${day}T00:00:00.000Z`;
const nextDay = (day: string) => dayOf(Date.parse(midnight(day)) + DAY_MS);

/** The days from `first` up to (not including) `end`. */
export function daysFrom(first: string, end: string): string[] {
  const out: string[] = [];
  for (let d = first; d < end; d = nextDay(d)) out.push(d);
  return out;
}

/** Runs of consecutive days, at most DAYS_PER_BATCH long. */
function runsOf(days: string[]): string[][] {
  const runs: string[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && run.length < DAYS_PER_BATCH && nextDay(run.at(-1)!) === d) run.push(d);
    else runs.push([d]);
  }
  return runs;
}

/** Builds the given closed days' rollups (any order, any gaps). */
export async function buildDays(db: D1Database, site: string, days: string[]): Promise<void> {
  for (const run of runsOf([...days].sort())) {
    const token = `${ROLLUP_VERSION}${crypto.randomUUID()}`;
    const [lo, hi] = [midnight(run[0]!), midnight(nextDay(run.at(-1)!))];
    const rows = (table: string, cols: string, sql: string) => db.prepare(`INSERT OR REPLACE INTO ${table} (site, ${cols}) SELECT ?1, ${cols} FROM (${sql})`).bind(site, lo, hi);
    const done = await db.batch([
      ...ROLLUP_TABLES.map((t) => db.prepare(`DELETE FROM ${t} WHERE site = ?1 AND day >= ?2 AND day < ?3`).bind(site, run[0], nextDay(run.at(-1)!))),
      db
        .prepare(
          `INSERT INTO report_days (site, day, token, ready, orders, revenue, identifies)
           SELECT ?1, d.value, ?4, 0, coalesce(o.orders, 0), coalesce(o.revenue, 0), 0 FROM json_each(?5) d LEFT JOIN (${orderDayRows('?1', '?2', '?3')}) o ON o.day = d.value`,
        )
        .bind(site, lo, hi, token, JSON.stringify(run)),
      rows('report_visitor_days', 'day, visitor, orders', visitorDayRows('?1', '?2', '?3')),
      rows('report_segment_days', 'day, segment, entered, exited', segmentDayRows('?1', '?2', '?3')),
      rows('report_strategy_days', 'day, strategy, visitor, views, clicks', strategyDayRows('?1', '?2', '?3')),
      rows('report_clicks', 'day, message_id, visitor, at, strategy, product', clickRows('?1', '?2', '?3')),
      rows('report_quality_days', 'day, issue, path, visitor, events', orderIssueRows('?1', '?2', '?3')),
      rows('report_anonymous_days', `day, ${ANONYMOUS_COLS}`, anonymousDayRows('?1', '?2', '?3')),
      rows('report_name_days', NAME_COLS, nameDayRows('?1', '?2', '?3')),
      rows('report_exposures', EXPOSURE_COLS, exposureRows('?1', '?2', '?3')),
      rows('report_answers', ANSWER_COLS, answerRows('?1', '?2', '?3')),
      rows('report_orders', ORDER_COLS, orderRows('?1', '?2', '?3')),
      rows('report_user_days', `day, ${USER_COLS}`, userDayRows('?1', '?2', '?3')),
      // Pairs live on after their days' events leave the window: kept with the last day they were seen (retention).
      db
        .prepare(
          `INSERT INTO report_links (site, uid, visitor, day) SELECT ?1, uid, visitor, day FROM (${linkRows('?1', '?2', '?3')}) WHERE TRUE
           ON CONFLICT (site, uid, visitor) DO UPDATE SET day = max(day, excluded.day)`,
        )
        .bind(site, lo, hi),
      db.prepare(identifyRows('?1', '?2', '?3')).bind(site, lo, hi),
    ]);
    const identifies = done.at(-1)!.results as (TraitRow & { day: string })[];
    const perDay = new Map<string, number>();
    for (const r of identifies) perDay.set(r.day, (perDay.get(r.day) ?? 0) + 1);
    await db.batch([
      db
        .prepare(
          `INSERT OR REPLACE INTO report_quality_days (site, day, issue, path, visitor, events)
           SELECT ?1, json_extract(value, '$.day'), json_extract(value, '$.issue'), json_extract(value, '$.path'), json_extract(value, '$.visitor'), json_extract(value, '$.events')
           FROM json_each(?2) WHERE EXISTS (SELECT 1 FROM report_days r WHERE r.site = ?1 AND r.day = json_extract(value, '$.day') AND r.token = ?3)`,
        )
        .bind(site, JSON.stringify(traitFlagRows(identifies)), token),
      db
        .prepare(`UPDATE report_days SET ready = 1, identifies = coalesce((SELECT json_extract(value, '$[1]') FROM json_each(?2) WHERE json_extract(value, '$[0]') = report_days.day), 0) WHERE site = ?1 AND token = ?3`)
        .bind(site, JSON.stringify([...perDay]), token),
    ]);
  }
}

/**
 * Builds every closed day from the log's first day to yesterday that is not ready. Reports that count
 * "ever" (repeat purchases, segment sizes) read all of them, so all are kept, however old. The first day is the
 * earliest of the rollups' and the events' (days that left the event window are in the rollups only).
 * @returns the log's first day, or null when the site has no events
 */
export async function ensureClosedDays(db: D1Database, site: string, now = Date.now()): Promise<string | null> {
  const today = dayOf(now);
  const [first, ready] = await db.batch<{ t?: string | null; day?: string }>([
    db.prepare('SELECT min(t) AS t FROM (SELECT min(timestamp) AS t FROM events WHERE site = ?1 UNION ALL SELECT min(day) FROM report_days WHERE site = ?1)').bind(site),
    db.prepare(`SELECT day FROM report_days WHERE site = ?1 AND ${READY} AND day < ?2`).bind(site, today),
  ]);
  const t = first!.results[0]?.t;
  if (!t) return null;
  const firstDay = t.slice(0, 10);
  const have = new Set(ready!.results.map((r) => r.day));
  const missing = daysFrom(firstDay, today).filter((d) => !have.has(d));
  if (missing.length) await buildDays(db, site, missing);
  return firstDay;
}
