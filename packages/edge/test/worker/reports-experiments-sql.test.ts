// The experiment report's set-based SQL (src/reports/experiments/queries.ts) against the SQL it replaced, kept here
// verbatim as the reference: on a seeded mix of visitors — crossovers, orders and goals sent with a user id only,
// goals before the first exposure, visitors who denied personalization (or changed their mind) — both must give
// the same rows for every period, read from the events alone and from the per-day rollups; and, once the event
// window dropped the closed days (their events deleted), the same rows for whole-day periods from the rollups alone.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../../src/log/event-log.js';
import { holdoutRowsOf } from '../../src/reports/experiments/report.js';
import { armCounts, BEGINNING, holdoutVisitors } from '../../src/reports/experiments/queries.js';
import { buildDays } from '../../src/reports/rollups/build.js';
import { Binds, type ReadPlan } from '../../src/reports/rollups/read.js';
import { seededRandom } from '../../src/stats/random.js';
import { uid } from './helpers.js';

/** The reference: ARM_COUNTS before the rewrite (correlated EXISTS per exposed visitor). */
const OLD_ARM_COUNTS = `
WITH exposed AS (
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

/** The reference: HOLDOUT_VISITORS before the rollup (every event of the period, its body parsed). */
const OLD_HOLDOUT_VISITORS = `
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

const DAY = 86_400_000;
const SITE = uid('exp-sql');
const X = 'hero-quiz-copy';
const GOAL = 'Quiz Completed';
// Six days 20–80 days back, different on each run.
const D = Date.parse(new Date(Date.now() - (20 + Math.floor(Math.random() * 60)) * DAY).toISOString().slice(0, 10));
const day = (n: number) => new Date(D + n * DAY).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

type Row = [type: string, name: string | null, anon: string | null, user: string | null, at: number, body: Record<string, unknown>];

/** ~300 visitors over 6 days: every case the report's definitions name, drawn at random (seeded). */
function story(): Row[] {
  const random = seededRandom(7);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const when = () => D + Math.floor(random() * 6 * DAY);
  const rows: Row[] = [];
  const consent = (granted: boolean | undefined) => (granted === undefined ? {} : { context: { consent: { analytics: true, personalization: granted } } });
  for (let i = 0; i < 300; i++) {
    const a = `v${i}`;
    const u = random() < 0.3 ? `u${i % 200}` : null; // some user ids shared by two browsers
    const denied = random() < 0.15;
    const mixed = random() < 0.1;
    const c = () => consent(denied ? (mixed && random() < 0.3 ? true : false) : pick([true, undefined]));
    const t = (name: string, at: number, props: Record<string, unknown> = {}, anon: string | null = a, user: string | null = null): Row =>
      ['track', name, anon, user, at, { properties: props, ...c() }];
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) rows.push(t(pick(['Product Viewed', 'Product Added', 'Segment Entered']), when()));
    if (u && random() < 0.7) rows.push(['identify', null, a, u, when(), c()]);
    if (random() < 0.6) {
      const first = when();
      const arm = pick(['control', 'bold']);
      rows.push(t('Experiment Viewed', first, { experiment_id: X, variant_id: arm }));
      if (random() < 0.2) rows.push(t('Experiment Viewed', when(), { experiment_id: X, variant_id: arm === 'bold' ? 'control' : 'bold' })); // crossover
      if (random() < 0.2) rows.push(t('Experiment Viewed', when(), { experiment_id: 'other', variant_id: 'control' }));
    }
    if (random() < 0.35) rows.push(t(GOAL, when())); // before or after the exposure, or without one
    if (u && random() < 0.3) rows.push(t(GOAL, when(), {}, null, u)); // user id only (a server)
    if (random() < 0.3) rows.push(t('Order Completed', when(), { revenue: 30 }));
    if (u && random() < 0.3) rows.push(t('Order Completed', when(), { revenue: 40 }, null, u));
    if (u && random() < 0.1) rows.push(t(GOAL, when(), {}, a, u));
  }
  rows.push(['page', GOAL, 'v1', null, D + DAY, {}]); // a page named like the goal is not a goal
  return rows;
}

const sorted = <T,>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

/** The events alone, rollups for all six days, and rollups up to a "today" inside the periods. */
const PLANS: ReadPlan[] = [
  { split: '', splitDay: '', firstDay: null },
  { split: `${day(6)}T00:00:00.000Z`, splitDay: day(6), firstDay: day(0) },
  { split: `${day(3)}T00:00:00.000Z`, splitDay: day(3), firstDay: day(0) },
];
const oldArms = new Map<string, string[]>();
const oldHoldout = new Map<string, string[]>();

async function arms(plan: ReadPlan, from: string, to: string) {
  const b = new Binds(SITE);
  const sql = armCounts(plan, b, X, from, to, GOAL);
  return sorted((await env.EVENTS.prepare(sql).bind(...b.values).all()).results);
}

async function holdout(plan: ReadPlan, from: string, to: string) {
  const b = new Binds(SITE);
  const sql = holdoutVisitors(plan, b, holdoutRowsOf(plan, b, from, to), from, to);
  return sorted((await env.EVENTS.prepare(sql).bind(...b.values).all()).results);
}

beforeAll(async () => {
  await ensureSchema(env.EVENTS);
  const insert = env.EVENTS.prepare(
    'INSERT INTO events (site, message_id, type, name, anonymous_id, user_id, timestamp, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)',
  );
  const rows = story();
  const statements = rows.map(([type, name, anon, user, at, body], i) =>
    insert.bind(SITE, `m${i}`, type, name, anon, user, iso(at), JSON.stringify({ type, event: type === 'track' ? name : undefined, anonymousId: anon, userId: user, ...body })),
  );
  for (let i = 0; i < statements.length; i += 200) await env.EVENTS.batch(statements.slice(i, i + 200));
  await buildDays(env.EVENTS, SITE, [0, 1, 2, 3, 4, 5].map(day));
});

// Whole days, partial days at either end, one hour, and "since the beginning".
const PERIODS: [string, string][] = [
  [`${day(0)}T00:00:00.000Z`, `${day(6)}T00:00:00.000Z`],
  [`${day(1)}T00:00:00.000Z`, `${day(4)}T00:00:00.000Z`],
  [`${day(1)}T13:30:00.000Z`, `${day(4)}T07:15:00.000Z`],
  [`${day(2)}T10:00:00.000Z`, `${day(2)}T11:00:00.000Z`],
  [BEGINNING, `${day(5)}T12:00:00.000Z`],
  [BEGINNING, `${day(6)}T00:00:00.000Z`],
];

describe('experiment SQL, rewritten set-based', () => {
  it('the seeded mix has every case in it', async () => {
    const q = (sql: string) => env.EVENTS.prepare(sql).bind(SITE).first<{ n: number }>().then((r) => r!.n);
    expect(await q(`SELECT count(*) AS n FROM events WHERE site = ?1 AND name = '${GOAL}' AND anonymous_id IS NULL`)).toBeGreaterThan(5);
    expect(await q(`SELECT count(*) AS n FROM events WHERE site = ?1 AND name = 'Order Completed' AND anonymous_id IS NULL`)).toBeGreaterThan(5);
    expect(await q(`SELECT count(*) AS n FROM events WHERE site = ?1 AND json_extract(body, '$.context.consent.personalization') = 0`)).toBeGreaterThan(20);
    const old = await env.EVENTS.prepare(OLD_ARM_COUNTS).bind(SITE, X, BEGINNING, `${day(6)}T00:00:00.000Z`, GOAL).all<{ crossovers: number; conversions: number }>();
    expect(old.results.reduce((n, r) => n + r.crossovers, 0)).toBeGreaterThan(5);
    expect(old.results.reduce((n, r) => n + r.conversions, 0)).toBeGreaterThan(10);
  });

  it.each(PERIODS)('the arm counts are the old ones for %s – %s, from the events and from the rollups', async (from, to) => {
    const old = await env.EVENTS.prepare(OLD_ARM_COUNTS).bind(SITE, X, from, to, GOAL).all();
    oldArms.set(`${from} ${to}`, sorted(old.results));
    for (const plan of PLANS) expect(await arms(plan, from, to), JSON.stringify(plan)).toEqual(sorted(old.results));
  });

  it.each(PERIODS)('the holdout visitors are the old ones for %s – %s, from the events and from the rollups', async (from, to) => {
    const old = await env.EVENTS.prepare(OLD_HOLDOUT_VISITORS).bind(SITE, from, to, 'Order Completed').all();
    oldHoldout.set(`${from} ${to}`, sorted(old.results));
    for (const plan of PLANS) expect(await holdout(plan, from, to), JSON.stringify(plan)).toEqual(sorted(old.results));
  });
});

describe('experiment SQL after the event window dropped the closed days', () => {
  // Whole days only: a bound inside a dropped day would need that day's events (log/event-window.ts says so).
  const WHOLE = PERIODS.filter(([from, to]) => (from === BEGINNING || from.endsWith('T00:00:00.000Z')) && to.endsWith('T00:00:00.000Z'));
  const ROLLUP: ReadPlan = { split: `${day(6)}T00:00:00.000Z`, splitDay: day(6), firstDay: day(0) };

  beforeAll(async () => {
    // The (anonymous id, user id) pairs that link goals sent with a user id live on in report_links.
    const { results } = await env.EVENTS.prepare(`SELECT count(*) AS n FROM report_links WHERE site = ?1`).bind(SITE).all<{ n: number }>();
    expect(results[0]!.n).toBeGreaterThan(10);
    await env.EVENTS.prepare('DELETE FROM events WHERE site = ?1').bind(SITE).run();
  });

  it.each(WHOLE)('the arm counts and the holdout for %s – %s are the same without the events', async (from, to) => {
    expect(WHOLE.length).toBeGreaterThanOrEqual(2);
    expect(oldArms.get(`${from} ${to}`)!.length).toBeGreaterThan(0);
    expect(await arms(ROLLUP, from, to)).toEqual(oldArms.get(`${from} ${to}`));
    expect(await holdout(ROLLUP, from, to)).toEqual(oldHoldout.get(`${from} ${to}`));
  });

  it('reading the events alone now finds nothing (the comparison above could fail)', async () => {
    const [from, to] = WHOLE[0]!;
    expect(await arms({ split: '', splitDay: '', firstDay: null }, from, to)).toEqual([]);
  });
});
