// The event-log queries behind the experiment report. One visitor = one anonymous id: the id decide
// hashes to pick the arm and the holdout, so it is the unit that was randomized. A goal event counts for
// the visitor when it carries their anonymous id, or a user id their events carry (an order sent by a
// server library with userId only, or placed on another device after signing in).

/** Per arm: exposed visitors and those who converted after their first exposure. */
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
scored AS (
  SELECT x.arm, x.arms,
    EXISTS (SELECT 1 FROM events g WHERE g.site = ?1 AND g.anonymous_id = x.vid AND g.name = ?5 AND g.type = 'track'
                                   AND g.timestamp > x.first_at AND g.timestamp < ?4)
    OR EXISTS (SELECT 1 FROM events g WHERE g.site = ?1 AND g.name = ?5 AND g.type = 'track' AND g.timestamp > x.first_at AND g.timestamp < ?4
                 AND g.user_id IN (SELECT u.user_id FROM events u WHERE u.site = ?1 AND u.anonymous_id = x.vid AND u.user_id IS NOT NULL))
      AS converted
  FROM exposed x
)
SELECT arm, count(*) AS exposures, sum(converted) AS conversions, sum(arms > 1) AS crossovers
FROM scored GROUP BY arm`;

export type ArmCountRow = { arm: string | null; exposures: number; conversions: number; crossovers: number };

/**
 * Every visitor of the period with whether they reached the goal. Visitors whose events all say
 * personalization is not granted are left out: they see defaults whatever their holdout group.
 */
export const HOLDOUT_VISITORS = `
WITH visitors AS (
  SELECT anonymous_id AS vid, max(user_id) AS uid,
         max(type = 'track' AND name = ?4) AS converted,
         max(coalesce(json_extract(body, '$.context.consent.personalization'), 1)) AS personalized
  FROM events
  WHERE site = ?1 AND anonymous_id IS NOT NULL AND timestamp >= ?2 AND timestamp < ?3
  GROUP BY anonymous_id
),
buyers AS (
  SELECT DISTINCT user_id FROM events
  WHERE site = ?1 AND type = 'track' AND name = ?4 AND user_id IS NOT NULL AND timestamp >= ?2 AND timestamp < ?3
)
SELECT vid, (converted OR (uid IS NOT NULL AND uid IN (SELECT user_id FROM buyers))) AS converted
FROM visitors WHERE personalized = 1`;

export type HoldoutVisitorRow = { vid: string; converted: number };

/** The lower bound when the period has none: before any ISO timestamp. */
export const BEGINNING = '0000';
