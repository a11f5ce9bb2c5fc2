// The reports read closed days from per-day rollups and today from the events. Here every report of a story in
// the past is asked both ways (`source=raw` reads the events alone) and must answer the same to the last digit —
// also after a late event lands on a closed day, after an erasure, and after a retention purge.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema, eraseEventsOf, logStatements, purgeEvents } from '../../src/log/event-log.js';
import { buildDays, ensureClosedDays } from '../../src/reports/rollups/build.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { admin, logSettled, post, track, uid } from './helpers.js';

const DAY = 86_400_000;
// A week 30–140 days back (reports.test.ts uses 150–350), different on each run.
const D = Date.parse(new Date(Date.now() - (30 + Math.floor(Math.random() * 110)) * DAY).toISOString().slice(0, 10));
const day = (n: number) => new Date(D + n * DAY).toISOString().slice(0, 10);
const at = (n: number, hh: string) => `${day(n)}T${hh}.000Z`;
const period = `from=${day(0)}&to=${day(6)}`;
const t = (who: string, event: string, time: string, properties: Record<string, unknown> = {}) => track(who, event, { timestamp: time, properties });
const order = (who: string, time: string, revenue: number, products = [{ product_id: 'p1' }]) => t(who, 'Order Completed', time, { order_id: uid('o'), revenue, products });

const [A, B, C, L] = ['a', 'b', 'c', 'late'].map((p) => uid(`roll-${p}`)) as [string, string, string, string];
const story = [
  order(A, at(-3, '10:00:00'), 12.1),
  t(A, 'Product List Viewed', at(0, '09:00:00'), { strategy: 'for-you', list_id: 'home' }),
  t(A, 'Product Clicked', at(0, '09:00:05'), { strategy: 'for-you', product_id: 'p1' }),
  t(A, 'Products Searched', at(0, '09:01:00'), { query: 'serum' }),
  t(A, 'Product Viewed', at(0, '09:02:00'), { product_id: 'p1' }),
  order(A, at(1, '10:00:00'), 19.99),
  t(B, 'Product Viewed', at(1, '11:00:00'), { product_id: 'p2' }),
  order(B, at(2, '23:59:59'), 0.1),
  order(B, at(3, '00:00:00'), 0.2, []),
  { type: 'identify', messageId: uid('m'), anonymousId: B, timestamp: at(3, '01:00:00'), traits: { email: 'not-an-email' } },
  // With consent, a dry-skin answer makes the profile writer log a Segment Entered.
  track(C, 'Question Answered', { timestamp: at(4, '12:00:00'), properties: { quiz: 'skin', question: 'skin-type', answer: 'dry' }, context: { consent: { analytics: true, personalization: true } } }),
  t(C, 'Question Answered', at(4, '12:00:01'), { quiz: 'nps', question: 'nps', answer: 9 }),
];

type Json = Record<string, any>;
const get = async (path: string) => {
  const res = await admin(path);
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
};
const REPORTS = ['overview', 'funnel', 'segments', 'quality', 'recommendations', 'experiments'].map((r) => `/v1/reports/${r}?${period}`).concat(`/v1/reports/before-after?date=${day(2)}&metric=revenue&days=3`);

/** Both ways; other test files may log events meanwhile, so a difference is asked again (a real one stays). */
async function agree(path: string) {
  let last: [Json, Json] | undefined;
  for (let i = 0; i < 3; i++) {
    last = [await get(`${path}&source=rollup`), await get(`${path}&source=raw`)];
    if (JSON.stringify(last[0]) === JSON.stringify(last[1])) break;
  }
  expect(last![0]).toEqual(last![1]);
  return last![0];
}

const ready = async (d: string) => (await logSettled(), await env.EVENTS.prepare("SELECT ready FROM report_days WHERE site = 'demo' AND day = ?1").bind(d).first<{ ready: number }>())?.ready ?? null;

beforeAll(async () => {
  const res = await post('/v1/batch', { writeKey: 'demo', batch: story });
  expect(res.status).toBe(200);
  expect(((await res.json()) as Json).rejected ?? []).toEqual([]);
});

describe('rollups of closed days', () => {
  it('every report answers the same from the rollups as from the raw log', async () => {
    for (const path of REPORTS) await agree(path);
    const o = await get(`/v1/reports/overview?${period}`);
    expect(o.counts).toMatchObject({ orders: 3, buyers: 2, repeatBuyers: 2 });
    expect(o.kpis.revenue.value).toBe(20.29);
    for (const n of [-3, 0, 1, 2, 3, 4, 5, 6]) expect(await ready(day(n))).toBe(1);
  });

  it('reads closed days from the rollup (a tampered rollup shows), today from the log', async () => {
    await get(`/v1/reports/overview?${period}`);
    const set = (revenue: number) => env.EVENTS.prepare("UPDATE report_days SET revenue = ?2 WHERE site = 'demo' AND day = ?1").bind(day(1), revenue).run();
    const kept = (await env.EVENTS.prepare("SELECT revenue FROM report_days WHERE site = 'demo' AND day = ?1").bind(day(1)).first<{ revenue: number }>())!.revenue;
    await set(kept + 1000);
    try {
      const [rolled, raw] = [await get(`/v1/reports/overview?${period}`), await get(`/v1/reports/overview?${period}&source=raw`)];
      expect(rolled.kpis.revenue.value - raw.kpis.revenue.value).toBeCloseTo(1000);
    } finally {
      await set(kept);
    }
    const today = new Date().toISOString().slice(0, 10);
    expect(await ready(today)).toBeNull();
  });

  it('a late event for a closed day marks it stale at once and is in the next answer', async () => {
    const path = `/v1/reports/overview?${period}`;
    const before = await agree(path);
    const res = await post('/v1/batch', { writeKey: 'demo', batch: [order(L, at(2, '08:00:00'), 7.77)] });
    expect(res.status).toBe(200);
    expect(await ready(day(2))).toBeNull(); // the write unmarked it in its own batch
    expect(await ready(day(1))).toBe(1); // other days keep theirs
    const after = await agree(path);
    expect(after.counts.orders).toBe(before.counts.orders + 1);
    expect(after.kpis.revenue.value).toBeCloseTo(before.kpis.revenue.value + 7.77, 6);
    expect(after.kpis.visitors.value).toBe(before.kpis.visitors.value + 1);
    expect(await ready(day(2))).toBe(1);
    for (const p of REPORTS) await agree(p);
  });

  it('erasing a visitor deletes the rollup rows that name them; the reports still agree', async () => {
    await get(`/v1/reports/overview?${period}`);
    const named = () => env.EVENTS.prepare("SELECT count(*) AS n FROM report_visitor_days WHERE site = 'demo' AND visitor = ?1").bind(L).first<{ n: number }>();
    expect((await named())!.n).toBe(1);
    await eraseEventsOf(env.EVENTS, 'demo', [L], []);
    expect((await named())!.n).toBe(0);
    for (const p of REPORTS) await agree(p);
  });
});

describe('rollup upkeep', () => {
  const site = uid('site');
  const ev = (d: string, who: string): AcceptedEvent =>
    ({ type: 'track', event: 'Order Completed', messageId: uid('m'), anonymousId: who, timestamp: `${d}T12:00:00.000Z`, receivedAt: `${d}T12:00:00.000Z`, properties: { revenue: 5 } }) as unknown as AcceptedEvent;
  const rows = async () => (await env.EVENTS.prepare('SELECT day FROM report_visitor_days WHERE site = ?1 ORDER BY day').bind(site).all<{ day: string }>()).results.map((r) => r.day);

  it('builds every closed day since the first event, not today; the retention purge takes the rollups with the events', async () => {
    const now = Date.parse('2026-03-10T15:00:00.000Z');
    await ensureSchema(env.EVENTS);
    await env.EVENTS.batch(logStatements(env.EVENTS, site, [ev('2026-03-01', 'x'), ev('2026-03-05', 'y'), ev('2026-03-10', 'z')]));
    expect(await ensureClosedDays(env.EVENTS, site, now)).toBe('2026-03-01');
    expect(await rows()).toEqual(['2026-03-01', '2026-03-05']);
    const marked = await env.EVENTS.prepare('SELECT count(*) AS n FROM report_days WHERE site = ?1 AND ready = 1').bind(site).first<{ n: number }>();
    expect(marked!.n).toBe(9); // 1–9 March, empty days included
    // Retention of 7 days on 10 March: events before 3 March 15:00 go, and the rollups up to that day.
    await purgeEvents(env.EVENTS, site, 7, now);
    expect(await rows()).toEqual(['2026-03-05']);
    await ensureClosedDays(env.EVENTS, site, now);
    expect(await rows()).toEqual(['2026-03-05']);
  });

  it('a rebuild replaces a day: no row is counted twice', async () => {
    await buildDays(env.EVENTS, site, ['2026-03-05']);
    await buildDays(env.EVENTS, site, ['2026-03-05']);
    const r = await env.EVENTS.prepare("SELECT orders FROM report_visitor_days WHERE site = ?1 AND day = '2026-03-05'").bind(site).all<{ orders: number }>();
    expect(r.results).toEqual([{ orders: 1 }]);
  });
});
