// The bounded event window (src/log/event-window.ts): once the cron has rolled up the closed days and deleted their
// events, every report gives for those days what it gave from the events — funnel, KPIs with NPS, recommendation
// attribution, experiment arms and holdout, segment discovery's features — with the clock injected (the story lies in
// the past, "now" is a fixed day after it). Also: a late event for a dropped day leaves its rollup alone, and an
// erasure takes the person out of the rollups of dropped days.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttuneConfig, Experiment } from '../../src/contract/config.js';
import { eraseEventsOf, ensureSchema, logStatements } from '../../src/log/event-log.js';
import { dropClosedDays, keptFrom } from '../../src/log/event-window.js';
import { experimentsReport } from '../../src/reports/experiments/report.js';
import { loadFeatures } from '../../src/reports/discovery/features.js';
import { funnelCounts } from '../../src/reports/funnel/queries.js';
import { kpiCounts } from '../../src/reports/kpis/queries.js';
import { periodOf } from '../../src/reports/params.js';
import { strategyCounts } from '../../src/reports/recommendations/queries.js';
import { seededRandom } from '../../src/stats/random.js';
import { uid } from './helpers.js';

const DAY = 86_400_000;
const SITE = uid('window');
// A fixed story: 2026-03-02 … 03-09, "now" at noon on 03-12 (today); a window of 4 closed days keeps 03-08 on.
const D = Date.parse('2026-03-02T00:00:00.000Z');
const NOW = D + 10 * DAY + 12 * 3600_000;
const day = (n: number) => new Date(D + n * DAY).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const STEPS = ['Products Searched', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
const X = 'hero';
const experiment = { id: X, slot: 'hero', status: 'running', goal: 'Order Completed', arms: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }] } as unknown as Experiment;
const config = { holdout: { percent: 20, salt: 'h' }, experiments: [experiment] } as unknown as AttuneConfig;

type Row = { type: string; name: string | null; anon: string | null; user: string | null; at: number; properties?: Record<string, unknown>; context?: Record<string, unknown> };

/** ~150 shoppers over eight days: funnels, orders (revenue, total, neither), clicks on recommendations, NPS, exposures. */
function story(): Row[] {
  const r = seededRandom(35);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const rows: Row[] = [];
  for (let i = 0; i < 150; i++) {
    const anon = `w${i}`;
    const user = r() < 0.3 ? `wu${i % 90}` : null;
    for (const d of new Set([Math.floor(r() * 8), Math.floor(r() * 8)])) {
      let t = D + d * DAY + Math.floor(r() * 20 * 3600_000);
      const next = () => (t += 1000 + Math.floor(r() * 600_000));
      const who = r() < 0.1 && user ? { anon: null, user } : { anon, user: r() < 0.5 ? user : null };
      const ev = (name: string, properties: Record<string, unknown> = {}) => rows.push({ type: 'track', name, ...who, at: next(), properties, context: { consent: { personalization: r() < 0.9 } } });
      if (r() < 0.6) ev('Experiment Viewed', { experiment_id: X, variant_id: pick(['control', 'bold']) });
      const product = `p${Math.floor(r() * 8)}`;
      if (r() < 0.4) ev('Product List Viewed', { strategy: pick(['for-you', 'trending']) });
      if (r() < 0.3) ev('Product Clicked', { strategy: pick(['for-you', 'trending']), product_id: product });
      for (const step of STEPS.slice(0, -1)) if (r() < 0.7) ev(pick([step, step, 'Product Viewed']), { product_id: product });
      if (r() < 0.4) ev('Order Completed', { ...pick([{ revenue: Math.floor(r() * 9000) / 100 }, { total: 12.5 }, {}]), products: [{ product_id: product }] });
      if (r() < 0.3) ev('Question Answered', { question: pick(['nps', 'nps', 'skin']), answer: pick([0, 5, 7, 8, 9, 10, '10', 11, 'x']) });
      if (user && r() < 0.5) rows.push({ type: 'identify', name: null, anon, user, at: next() });
    }
  }
  rows.push({ type: 'page', name: 'Order Completed', anon: 'w1', user: null, at: D + DAY }); // a page named like the goal
  return rows;
}

const insert = (rows: Row[], offset = 0) =>
  rows.map((x, i) =>
    env.EVENTS.prepare('INSERT INTO events (site, message_id, type, name, anonymous_id, user_id, timestamp, received_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)').bind(
      SITE,
      `wm${offset + i}`,
      x.type,
      x.name,
      x.anon,
      x.user,
      iso(x.at),
      JSON.stringify({ type: x.type, event: x.type === 'track' ? x.name : undefined, name: x.type === 'page' ? x.name : undefined, anonymousId: x.anon, userId: x.user, properties: x.properties, context: x.context }),
    ),
  );

const PERIODS = [periodOf(D, D + 7 * DAY), periodOf(D + DAY, D + 4 * DAY), periodOf(D + 5 * DAY, D + 10 * DAY)];

/** Every report over the periods, as JSON (floats as they come). */
async function reports(source: 'rollup' | 'raw') {
  const out: Record<string, unknown> = {};
  for (const p of PERIODS) {
    out[`funnel ${p.from}`] = await funnelCounts(env.EVENTS, SITE, source, p, STEPS, NOW);
    out[`kpis ${p.from}`] = await kpiCounts(env.EVENTS, SITE, source, [p], ['nps'], NOW);
    const [views, orders] = await strategyCounts(env.EVENTS, SITE, source, p, 3, NOW);
    out[`recs ${p.from}`] = [[...views].sort((a, b) => a.strategy.localeCompare(b.strategy)), [...orders].sort((a, b) => a.strategy.localeCompare(b.strategy))];
    const x = await experimentsReport(env.EVENTS, config, SITE, { from: p.start, to: p.end }, [experiment], source, NOW);
    out[`experiments ${p.from}`] = { arms: x.experiments[0]!.arms.map((a) => [a.id, a.exposures, a.conversions]), crossovers: x.experiments[0]!.crossovers, holdout: x.holdout };
  }
  const x = await experimentsReport(env.EVENTS, config, SITE, { from: null, to: iso(NOW) }, [experiment], source, NOW);
  out['experiments all time'] = x.experiments[0]!.arms.map((a) => [a.id, a.exposures, a.conversions]);
  out.features = (await loadFeatures(env.EVENTS, SITE, source, NOW)).map((f) => JSON.stringify(f)).sort();
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

const count = (sql: string, ...binds: unknown[]) => env.EVENTS.prepare(sql).bind(SITE, ...binds).first<{ n: number }>().then((r) => r!.n);
let before: Record<string, unknown>;

beforeAll(async () => {
  await ensureSchema(env.EVENTS);
  const rows = story();
  const statements = insert(rows);
  for (let i = 0; i < statements.length; i += 200) await env.EVENTS.batch(statements.slice(i, i + 200));
  before = await reports('raw');
  expect(await reports('rollup')).toEqual(before);
});

describe('the event window', () => {
  it('the story has what each report counts', () => {
    const k = before[`kpis ${day(0)}`] as { orders: number; promoters: number; detractors: number; revenue: number }[];
    expect(Math.min(k[0]!.orders, k[0]!.promoters, k[0]!.detractors)).toBeGreaterThan(0);
    expect((before[`funnel ${day(0)}`] as number[]).at(-1)).toBeGreaterThan(0);
    const [, orders] = before[`recs ${day(0)}`] as [unknown[], { orders: number }[]];
    expect(orders.reduce((n, o) => n + o.orders, 0)).toBeGreaterThan(0);
    const arms = (before[`experiments ${day(0)}`] as { arms: [string, number, number][] }).arms;
    expect(arms.every(([, n, c]) => n > 0 && c > 0)).toBe(true);
  });

  it('drops only the events of rolled-up days before the window, and every report answers as before', async () => {
    const kept = keptFrom(4, NOW);
    expect(kept).toBe(day(6));
    const dropped = await dropClosedDays(env.EVENTS, SITE, 4, NOW);
    expect(dropped).toBeGreaterThan(500);
    expect(await count('SELECT count(*) AS n FROM events WHERE site = ?1 AND timestamp < ?2', `${kept}T00:00:00.000Z`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM events WHERE site = ?1')).toBeGreaterThan(100); // days 6 and 7 stay raw
    expect(await reports('rollup')).toEqual(before);
    expect(await reports('raw')).not.toEqual(before); // without the rollups the figures are gone: the check can fail
  });

  it('a late event for a dropped day leaves its rollup as built (it reaches the archive only)', async () => {
    const late = { type: 'track', event: 'Order Completed', messageId: uid('late'), anonymousId: 'w3', timestamp: `${day(2)}T10:00:00.000Z`, receivedAt: iso(NOW), properties: { revenue: 5 } };
    await env.EVENTS.batch(logStatements(env.EVENTS, SITE, [late as never]));
    expect(await count('SELECT count(*) AS n FROM report_days WHERE site = ?1 AND day = ?2 AND ready = 1', day(2))).toBe(1);
    expect(await reports('rollup')).toEqual(before);
    await dropClosedDays(env.EVENTS, SITE, 4, NOW); // and the next cron deletes it
    expect(await count('SELECT count(*) AS n FROM events WHERE site = ?1 AND timestamp < ?2', `${day(6)}T00:00:00.000Z`)).toBe(0);
  });

  it('an erasure deletes the person from the rollups of dropped days, and leaves those days ready', async () => {
    const person = ['w7', 'wu7'];
    const rows = async () => count(`SELECT count(*) AS n FROM report_name_days WHERE site = ?1 AND (visitor IN (SELECT value FROM json_each(?2)) OR uid IN (SELECT value FROM json_each(?2)))`, JSON.stringify(person));
    expect(await rows()).toBeGreaterThan(0);
    await eraseEventsOf(env.EVENTS, SITE, ['w7'], ['wu7']);
    expect(await rows()).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM report_links WHERE site = ?1 AND (visitor = 'w7' OR uid = 'wu7')`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM report_days WHERE site = ?1 AND day < ?2 AND ready = 1', day(6))).toBe(6);
  });
});
