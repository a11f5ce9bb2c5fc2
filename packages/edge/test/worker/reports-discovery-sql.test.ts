// Segment discovery's profile features from the per-day rollup (src/reports/discovery/features.ts) against the
// whole-log SQL it replaced, kept here verbatim as the reference: shoppers on several days and browsers, a user
// id shared by two browsers, orders sent with a user id only, events without any id; and the same features from the
// rollups alone once the event window dropped the closed days (their events deleted).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../../src/log/event-log.js';
import { FEATURE_TUPLE, featureRows, profileFeatures, profileFeatureTuples } from '../../src/reports/discovery/features.js';
import { buildDays } from '../../src/reports/rollups/build.js';
import { Binds, type ReadPlan } from '../../src/reports/rollups/read.js';
import { seededRandom } from '../../src/stats/random.js';
import { uid } from './helpers.js';

/** The reference: PROFILE_FEATURES before the rollup (every event of the log, joined with its profile). */
const OLD_PROFILE_FEATURES = `
WITH ids AS (
  SELECT anonymous_id AS a, max(user_id) AS u FROM events WHERE site = ?1 AND anonymous_id IS NOT NULL GROUP BY anonymous_id
),
keyed AS (
  SELECT coalesce('u:' || coalesce(ids.u, e.user_id), 'a:' || e.anonymous_id) AS pid, e.type, e.name, e.timestamp, e.body
  FROM events e LEFT JOIN ids ON ids.a = e.anonymous_id
  WHERE e.site = ?1
)
SELECT pid, max(timestamp) AS last_at,
  sum(type = 'track' AND name = 'Order Completed') AS orders,
  sum(CASE WHEN type = 'track' AND name = 'Order Completed'
      THEN coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total'), 0) ELSE 0 END) AS revenue,
  max(CASE WHEN type = 'track' AND name = 'Order Completed' THEN timestamp END) AS last_order_at,
  sum(type = 'track' AND name = 'Product Viewed') AS product_views,
  sum(type = 'track' AND name = 'Product Added') AS cart_adds,
  sum(type = 'track' AND name = 'Question Answered') AS quiz_answers
FROM keyed WHERE pid IS NOT NULL GROUP BY pid`;

const DAY = 86_400_000;
const SITE = uid('disc-sql');
const D = Date.parse(new Date(Date.now() - (20 + Math.floor(Math.random() * 60)) * DAY).toISOString().slice(0, 10));
const day = (n: number) => new Date(D + n * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  await ensureSchema(env.EVENTS);
  const random = seededRandom(11);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const when = () => new Date(D + Math.floor(random() * 6 * DAY)).toISOString();
  const insert = env.EVENTS.prepare(
    'INSERT INTO events (site, message_id, type, name, anonymous_id, user_id, timestamp, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)',
  );
  const statements: D1PreparedStatement[] = [];
  const add = (type: string, name: string | null, anon: string | null, user: string | null, properties: Record<string, unknown> = {}) =>
    statements.push(insert.bind(SITE, `m${statements.length}`, type, name, anon, user, when(), JSON.stringify({ type, event: name, properties })));
  for (let i = 0; i < 200; i++) {
    const a = `v${i}`;
    const u = random() < 0.3 ? `u${i % 120}` : null;
    for (let k = 0; k < 1 + Math.floor(random() * 8); k++) add('track', pick(['Product Viewed', 'Product Added', 'Question Answered', 'Segment Entered', 'Products Searched']), a, null);
    if (u) add('identify', null, a, u);
    for (let k = 0; k < Math.floor(random() * 3); k++) add('track', 'Order Completed', a, null, pick([{ revenue: 30 }, { total: 12.5 }, {}]));
    if (u && random() < 0.4) add('track', 'Order Completed', null, u, { revenue: 40 });
    if (random() < 0.2) add('page', 'Order Completed', a, null); // a page named like an order is not one
  }
  add('track', 'Product Viewed', null, null); // no id: no profile
  for (let i = 0; i < statements.length; i += 200) await env.EVENTS.batch(statements.slice(i, i + 200));
  await buildDays(env.EVENTS, SITE, [0, 1, 2, 3, 4, 5].map(day));
});

const sorted = <T,>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
let oldFeatures: string[] = [];

async function features(plan: ReadPlan) {
  const b = new Binds(SITE);
  const { rows, users } = featureRows(plan, b);
  return sorted((await env.EVENTS.prepare(profileFeatures(rows, users)).bind(...b.values).all()).results);
}

describe('discovery features, from the per-day rollup', () => {
  it('are the old whole-log features, from the events alone and from the rollup with "today" anywhere', async () => {
    const old = (await env.EVENTS.prepare(OLD_PROFILE_FEATURES).bind(SITE).all()).results;
    expect(old.length).toBeGreaterThan(150);
    const plans: ReadPlan[] = [
      { split: '', splitDay: '', firstDay: null },
      { split: `${day(6)}T00:00:00.000Z`, splitDay: day(6), firstDay: day(0) },
      { split: `${day(3)}T00:00:00.000Z`, splitDay: day(3), firstDay: day(0) },
    ];
    for (const plan of plans) expect(await features(plan), JSON.stringify(plan)).toEqual(sorted(old));
    oldFeatures = sorted(old);
  });

  // The report reads the rows as JSON parts (one value for every profile broke D1's value size limit).
  it('come back whole and unchanged as JSON parts', async () => {
    const b = new Binds(SITE);
    const live = featureRows({ split: '', splitDay: '', firstDay: null }, b);
    const rows = (await env.EVENTS.prepare(profileFeatures(live.rows, live.users)).bind(...b.values).all<Record<string, unknown>>()).results;
    const parts = (await env.EVENTS.prepare(profileFeatureTuples(live.rows, live.users, 7)).bind(...b.values).all<{ tuples: string }>()).results;
    expect(parts.length).toBe(Math.floor(rows.length / 7) + 1);
    const tuples = parts.flatMap((p) => JSON.parse(p.tuples) as unknown[][]);
    expect(sorted(tuples)).toEqual(sorted(rows.map((r) => FEATURE_TUPLE.map((c) => r[c]))));
  });
});

describe('discovery features after the event window dropped the closed days', () => {
  it('are the same from the rollups alone, and nothing from the events alone', async () => {
    expect(oldFeatures.length).toBeGreaterThan(150);
    await env.EVENTS.prepare('DELETE FROM events WHERE site = ?1').bind(SITE).run();
    expect(await features({ split: `${day(6)}T00:00:00.000Z`, splitDay: day(6), firstDay: day(0) })).toEqual(oldFeatures);
    expect(await features({ split: '', splitDay: '', firstDay: null })).toEqual([]);
  });
});
