// The event-log queries behind the experiment report. One visitor = one anonymous id: the id decide
// hashes to pick the arm and the holdout, so it is the unit that was randomized. A goal event counts for
// the visitor when it carries their anonymous id, or a user id their events carry (an order sent by a
// server library with userId only, or placed on another device after signing in).
import { Binds, wholeDays, type ReadPlan } from '../rollups/read.js';
import { ANONYMOUS_FLAG, exposureRows, TRACK_FLAG } from '../rollups/rows.js';
import { ORDER } from '../sql.js';


/**
 * The goal events (anonymous_id, user_id, timestamp) of (from, to), per row the latest: closed days from
 * report_name_days (its times filtered to the range, so a partial day is exact too), today from the events.
 */
function goalRows(plan: ReadPlan, b: Binds, goal: string, from: string, to: string, strict: boolean): string {
  const [g, f, t] = [b.add(goal), b.add(from), b.add(to)];
  const after = strict ? '>' : '>=';
  const rollup = `SELECT anonymous_id, user_id, timestamp FROM (
      SELECT CASE WHEN flags & ${ANONYMOUS_FLAG} THEN visitor END AS anonymous_id, nullif(uid, '') AS user_id,
             (SELECT max(value) FROM json_each(times) WHERE value ${after} ${f} AND value < ${t}) AS timestamp
      FROM report_name_days WHERE site = ?1 AND name = ${g} AND flags & ${TRACK_FLAG} AND day >= ${b.add(from.slice(0, 10))} AND day <= ${b.add(to.slice(0, 10))} AND day < ${b.add(plan.splitDay)})
    WHERE timestamp IS NOT NULL`;
  const live = `SELECT anonymous_id, user_id, timestamp FROM events
    WHERE site = ?1 AND name = ${g} AND type = 'track' AND timestamp ${after} ${f} AND timestamp >= ${b.add(plan.split)} AND timestamp < ${t}`;
  return `${rollup} UNION ALL ${live}`;
}

/** Each exposed visitor's rows (visitor, arm, first_at) of [from, to): whole closed days from report_exposures. */
function exposureRowsOf(plan: ReadPlan, b: Binds, experiment: string, from: string, to: string): string {
  const x = b.add(experiment);
  const live = (lo: string, hi: string) => `SELECT visitor, arm, first_at FROM (${exposureRows('?1', b.add(lo), b.add(hi))}) WHERE experiment = ${x}`;
  const days = wholeDays(plan, from, to);
  if (!days) return live(from, to);
  const rollup = `SELECT visitor, arm, first_at FROM report_exposures WHERE site = ?1 AND experiment = ${x} AND day >= ${b.add(days.start.slice(0, 10))} AND day < ${b.add(days.end.slice(0, 10))}`;
  return [rollup, live(from, days.start), live(days.end, to)].join(' UNION ALL ');
}

/**
 * Per arm: exposed visitors and those who converted after their first exposure. Set-based: the period's goal
 * events once, the visitors a goal's user id links to from the (anonymous id, user id) pairs ever seen (report_links
 * of rolled-up days and the events D1 still holds), and per visitor the latest goal reached, compared with the first
 * exposure. Closed days come from the rollups (exposures, report_name_days), the rest from the events.
 */
export function armCounts(plan: ReadPlan, b: Binds, experiment: string, from: string, to: string, goal: string): string {
  return `
WITH exposed AS (
  -- bare columns next to a single min() come from the row holding the minimum (SQLite): the first exposure
  SELECT visitor AS vid, arm, min(first_at) AS first_at, count(DISTINCT arm) AS arms
  FROM (${exposureRowsOf(plan, b, experiment, from, to)}) GROUP BY visitor
),
-- a goal counts only after a first exposure, itself at or after the period's start
goals AS MATERIALIZED (${goalRows(plan, b, goal, from, to, true)}),
-- the latest goal of each user id, and the visitors whose events carry that user id (the loop on the goal users
-- and the lookup on the user id index, forced: the planner otherwise scans a whole index of the site)
user_goals AS MATERIALIZED (
  SELECT user_id AS uid, max(timestamp) AS at FROM goals WHERE user_id IS NOT NULL GROUP BY user_id
),
links AS MATERIALIZED (
  SELECT DISTINCT vid, uid FROM (
    SELECT l.visitor AS vid, l.uid FROM user_goals ug CROSS JOIN report_links l WHERE l.site = ?1 AND l.uid = ug.uid
    UNION ALL
    SELECT e.anonymous_id, e.user_id FROM user_goals ug CROSS JOIN events e INDEXED BY events_site_user
    WHERE e.site = ?1 AND e.user_id = ug.uid AND e.anonymous_id IS NOT NULL)
),
reached AS (
  SELECT vid, max(at) AS last_at FROM (
    SELECT anonymous_id AS vid, timestamp AS at FROM goals WHERE anonymous_id IS NOT NULL
    UNION ALL
    SELECT l.vid, ug.at FROM links l JOIN user_goals ug ON ug.uid = l.uid
  ) GROUP BY vid
)
SELECT x.arm, count(*) AS exposures, sum(coalesce(r.last_at > x.first_at, 0)) AS conversions, sum(x.arms > 1) AS crossovers
FROM exposed x LEFT JOIN reached r ON r.vid = x.vid GROUP BY x.arm`;
}

export type ArmCountRow = { arm: string | null; exposures: number; conversions: number; crossovers: number };

/**
 * Every visitor of the period with whether they reached the goal ("Order Completed"). Visitors whose events
 * all say personalization is not granted are left out: they see defaults whatever their holdout group.
 * @param rows SQL of the period's report_anonymous_days rows (visitor, uid, ordered, personalized): rolled-up
 *   closed days and live rows for the rest (rollups/rows.ts anonymousDayRows); a visitor is the max of its rows.
 * @param from @param to the period's bounds, for the buyers (orders sent with a user id: report_name_days, events).
 */
export const holdoutVisitors = (plan: ReadPlan, b: Binds, rows: string, from: string, to: string) => `
WITH visitors AS (
  SELECT visitor AS vid, max(uid) AS uid, max(ordered) AS converted, max(personalized) AS personalized
  FROM (${rows}) GROUP BY visitor
),
buyers AS (
  SELECT DISTINCT user_id FROM (${goalRows(plan, b, ORDER, from, to, false)}) WHERE user_id IS NOT NULL
)
SELECT vid, (converted OR (uid IS NOT NULL AND uid IN (SELECT user_id FROM buyers))) AS converted
FROM visitors WHERE personalized = 1`;

export type HoldoutVisitorRow = { vid: string; converted: number };

/** The lower bound when the period has none: before any ISO timestamp. */
export const BEGINNING = '0000';
