// The event-log queries behind the experiment report. One visitor = one anonymous id: the id decide
// hashes to pick the arm and the holdout, so it is the unit that was randomized. A goal event counts for
// the visitor when it carries their anonymous id, or a user id their events carry (an order sent by a
// server library with userId only, or placed on another device after signing in).
import { ORDER } from './sql.js';

/**
 * Per arm: exposed visitors and those who converted after their first exposure. Set-based: the period's goal
 * events once, the visitors a goal's user id links to from the DISTINCT (anonymous id, user id) pairs of those
 * users' events, and per visitor the latest goal reached, compared with the first exposure.
 * ?1 site, ?2 experiment, ?3 from, ?4 to, ?5 goal.
 */
export const ARM_COUNTS = `
WITH exposed AS (
  -- bare columns next to a single min() come from the row holding the minimum (SQLite): the first exposure
  SELECT anonymous_id AS vid, json_extract(body, '$.properties.variant_id') AS arm, min(timestamp) AS first_at,
         count(DISTINCT json_extract(body, '$.properties.variant_id')) AS arms
  FROM events
  WHERE site = ?1 AND name = 'Experiment Viewed' AND type = 'track' AND anonymous_id IS NOT NULL
    AND json_extract(body, '$.properties.experiment_id') = ?2 AND timestamp >= ?3 AND timestamp < ?4
  GROUP BY anonymous_id
),
-- a goal counts only after a first exposure, itself at or after ?3
goals AS MATERIALIZED (
  SELECT anonymous_id, user_id, timestamp FROM events
  WHERE site = ?1 AND name = ?5 AND type = 'track' AND timestamp > ?3 AND timestamp < ?4
),
-- the latest goal of each user id, and the visitors whose events carry that user id (the loop on the goal users
-- and the lookup on the user id index, forced: the planner otherwise scans a whole index of the site)
user_goals AS MATERIALIZED (
  SELECT user_id AS uid, max(timestamp) AS at FROM goals WHERE user_id IS NOT NULL GROUP BY user_id
),
links AS MATERIALIZED (
  SELECT DISTINCT e.anonymous_id AS vid, e.user_id AS uid FROM user_goals ug CROSS JOIN events e INDEXED BY events_site_user
  WHERE e.site = ?1 AND e.user_id = ug.uid AND e.anonymous_id IS NOT NULL
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

export type ArmCountRow = { arm: string | null; exposures: number; conversions: number; crossovers: number };

/**
 * Every visitor of the period with whether they reached the goal ("Order Completed"). Visitors whose events
 * all say personalization is not granted are left out: they see defaults whatever their holdout group.
 * @param rows SQL of the period's report_anonymous_days rows (visitor, uid, ordered, personalized): rolled-up
 *   closed days and live rows for the rest (rollup-rows.ts anonymousDayRows); a visitor is the max of its rows.
 * @param from @param to placeholders of the period's bounds, for the buyers (orders sent with a user id).
 */
export const holdoutVisitors = (rows: string, from: string, to: string) => `
WITH visitors AS (
  SELECT visitor AS vid, max(uid) AS uid, max(ordered) AS converted, max(personalized) AS personalized
  FROM (${rows}) GROUP BY visitor
),
buyers AS (
  SELECT DISTINCT user_id FROM events
  WHERE site = ?1 AND name = '${ORDER}' AND type = 'track' AND user_id IS NOT NULL AND timestamp >= ${from} AND timestamp < ${to}
)
SELECT vid, (converted OR (uid IS NOT NULL AND uid IN (SELECT user_id FROM buyers))) AS converted
FROM visitors WHERE personalized = 1`;

export type HoldoutVisitorRow = { vid: string; converted: number };

/** The lower bound when the period has none: before any ISO timestamp. */
export const BEGINNING = '0000';
