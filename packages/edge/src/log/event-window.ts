// The bounded event window: D1's `events` keeps today and the last EVENT_WINDOW_DAYS closed days; older days live
// on in the reports' per-day rollups (reports/rollups/build.ts) and in full in the R2 archive. The cron first makes
// sure every closed day has its rollups, then deletes the events of the days that left the window, and only of days
// whose rollups are ready (checked in the DELETE itself), so no figure is lost between the two steps.
import { ensureClosedDays, READY } from '../reports/rollups/build.js';
import { dayOf, DAY_MS } from '../reports/params.js';
import { ensureSchema } from './event-log.js';

/**
 * Closed days whose raw events D1 keeps (besides today). 35 covers the dashboard's 28- and 30-day periods and the
 * experiment report's edges (a bound inside a day is read from that day's events) with a few days to spare; older
 * days are read from rollups, which answer every report exactly for whole days.
 */
export const EVENT_WINDOW_DAYS = 35;

/** The window's length: `ATTUNE_EVENT_WINDOW_DAYS` (an operator's or a test's override, 0 = today only), else the default. */
export function windowDays(override: string | undefined): number {
  const n = override === undefined || override === '' ? NaN : Number(override);
  return Number.isInteger(n) && n >= 0 && n <= 3650 ? n : EVENT_WINDOW_DAYS;
}

/** The first day the window keeps: `days` closed days before today, and today. */
export const keptFrom = (days: number, now: number) => dayOf(Date.parse(`${dayOf(now)}T00:00:00.000Z`) - days * DAY_MS);

/**
 * Builds the closed days' rollups, then deletes the events of ready days before the window.
 * @returns the events deleted
 */
export async function dropClosedDays(db: D1Database, site: string, days: number, now = Date.now()): Promise<number> {
  await ensureSchema(db);
  await ensureClosedDays(db, site, now);
  const from = keptFrom(days, now);
  const done = await db.batch([
    // Recorded first (same transaction): from now on a late event for a dropped day leaves its rollup as it is.
    db.prepare('INSERT INTO report_window (site, kept_from) VALUES (?1, ?2) ON CONFLICT (site) DO UPDATE SET kept_from = max(kept_from, excluded.kept_from)').bind(site, from),
    db
      .prepare(
        `DELETE FROM events WHERE site = ?1 AND timestamp < ?2
           AND substr(timestamp, 1, 10) IN (SELECT day FROM report_days WHERE site = ?1 AND ${READY} AND day < ?3)`,
      )
      .bind(site, `${from}T00:00:00.000Z`, from),
  ]);
  return done.at(-1)!.meta.changes ?? 0;
}
