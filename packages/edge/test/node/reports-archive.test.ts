// Issue 20, item 6: the dashboard's figures for closed days agree with the archive, to the digit. Generated traffic
// over seven past days goes through a real `wrangler dev` (ingest → profile writers → log Queue → consumer → D1 and
// R2); once the consumer drained, the cron runs with an event window of 0 days (ATTUNE_EVENT_WINDOW_DAYS): it rolls
// the closed days up and deletes their events from D1, so every figure below comes from the rollups alone. The
// overview (KPIs with the NPS split, daily series), the funnel, the experiment's arm counts and the recommendation
// attribution are read through the admin API, and the same figures are computed with DuckDB from the Parquet files
// the admin archive export serves (GET /v1/archive/events, …/:day/:file), by the definitions the dashboard states
// (reports/kpis/shape.ts KPI_DEFINITIONS, experiments/report.ts METHODS, recommendations/queries.ts), written here in DuckDB's SQL and not
// taken from the reports' SQL.
// A batch is sent twice (a client retry): the archive then holds its events twice, and both sides count them once.
// (Segment sizes are not compared: the writers date their entries and exits when they happen — today, never a
// closed day.)
import { DuckDBInstance } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { seededRandom as prng } from '../../src/stats/random.js';

const DAY_MS = 86_400_000;
const ADMIN = { authorization: 'Bearer dev-admin' };
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Days before the stack's today: all closed. The period is D3..D1, the one before it D6..D4. */
const TODAY = Date.parse(`${dayOf(Date.now())}T00:00:00.000Z`);
const D = (k: number) => dayOf(TODAY - k * DAY_MS);
const PERIOD = { from: D(3), to: D(1) };
const STEPS = ['Products Searched', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
/** The demo config's experiment and its goal. */
const X = 'hero-quiz-copy';
const GOAL = 'Quiz Completed';
const CRON = '/__scheduled?cron=17+3+*+*+*'; // the Worker's daily cron, run on request (startDev's testScheduled)

type Sent = Record<string, unknown> & { messageId: string };

/**
 * Visitors browsing, buying and answering the NPS question on days D7..D1, by browser (anonymous ids, public key)
 * and by a server library (user ids only, server key). Some orders carry `total` instead of `revenue`, some neither.
 */
function traffic(): { browser: Sent[]; server: Sent[] } {
  const rnd = prng(20);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const browser: Sent[] = [];
  const server: Sent[] = [];
  const consent = { consent: { analytics: true, personalization: true } };
  const session = (ids: Record<string, string>, day: number, out: Sent[], buy: number) => {
    let t = TODAY - day * DAY_MS + Math.floor(rnd() * 20 * 3600_000);
    const at = () => new Date((t += 1000 + Math.floor(rnd() * 60_000))).toISOString();
    const ev = (event: string, properties: Record<string, unknown> = {}) => out.push({ type: 'track', event, properties, messageId: randomUUID(), timestamp: at(), context: consent, ...ids });
    if (rnd() < 0.8) out.push({ type: 'page', name: 'Home', messageId: randomUUID(), timestamp: at(), context: consent, ...ids });
    if (rnd() < 0.5) ev('Experiment Viewed', { experiment_id: X, variant_id: pick(['control', 'bold']) });
    if (rnd() < 0.6) ev('Products Searched', { query: pick(['serum', 'cream', 'spf']) });
    const product = `p${Math.floor(rnd() * 30)}`;
    if (rnd() < 0.8) {
      const strategy = pick(['for-you', 'trending']);
      ev('Product List Viewed', { strategy, list_id: 'home' });
      if (rnd() < 0.9) ev('Product Clicked', { strategy, product_id: rnd() < 0.9 ? product : `p${Math.floor(rnd() * 30)}` });
    }
    for (let v = 0, n = 1 + Math.floor(rnd() * 3); v < n; v++) ev('Product Viewed', { product_id: v ? `p${Math.floor(rnd() * 30)}` : product });
    if (rnd() < buy + 0.2) ev('Product Added', { product_id: product });
    if (rnd() < buy + 0.1) ev('Checkout Started');
    if (rnd() < buy) {
      const cents = 500 + Math.floor(rnd() * 20_000);
      const money = rnd() < 0.75 ? { revenue: cents / 100 } : rnd() < 0.7 ? { total: cents / 100 } : {};
      ev('Order Completed', { order_id: randomUUID(), ...money, products: [{ product_id: product, price: cents / 100 }] });
    }
    if (rnd() < 0.3) ev('Question Answered', { quiz: 'nps', question: 'nps', answer: rnd() < 0.05 ? 11 : Math.floor(rnd() * 11) });
    if (rnd() < 0.3) ev(GOAL, { quiz: 'skin' });
  };
  for (let i = 0; i < 60; i++) {
    const days = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => 1 + Math.floor(rnd() * 7)))];
    for (const day of days) session({ anonymousId: `ra-${i}` }, day, browser, 0.35);
  }
  for (let i = 0; i < 8; i++) for (const day of [1 + Math.floor(rnd() * 7), 1 + Math.floor(rnd() * 7)]) session({ userId: `ru-${i}` }, day, server, 0.5);
  // A shop's server sending both ids: the user id's goals then count for the browser's exposures (experiment links).
  for (let i = 0; i < 4; i++) session({ anonymousId: `ra-${i}`, userId: `ru-${i}` }, 6 + (i % 2), server, 0.3);
  // The figures the comparison would pass vacuously without: a churned buyer, a returning one, a buyer with an
  // order before the previous period.
  session({ anonymousId: 'ra-churned' }, 5, browser, 1);
  for (const day of [5, 2]) session({ anonymousId: 'ra-back' }, day, browser, 1);
  for (const day of [7, 2]) session({ anonymousId: 'ra-loyal' }, day, browser, 1);
  return { browser, server };
}

let dev: { url: string; stop: () => Promise<void> };
const dir = mkdtempSync(join(tmpdir(), 'attune-reports-archive-'));
const sent = new Set<string>();
let duck: (sql: string) => Promise<Record<string, unknown>[]>;

async function post(writeKey: string, batch: Sent[]) {
  const res = await fetch(`${dev.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey, batch }) });
  const answer = (await res.json()) as { success?: boolean; rejected?: unknown };
  if (res.status !== 200 || !answer.success || answer.rejected) throw new Error(`POST /v1/batch: ${res.status} ${JSON.stringify(answer).slice(0, 400)}`);
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${dev.url}${path}`, { headers: ADMIN });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 400)}`);
  return (await res.json()) as T;
}

/** Downloads the archive's files for D7..D1 through the admin export (part files never change, so each once). */
async function download(): Promise<number> {
  const listing = await getJson<{ days: { day: string; files: { name: string }[] }[] }>(`/v1/archive/events?since=${D(7)}&until=${D(1)}`);
  let files = 0;
  for (const { day, files: list } of listing.days) {
    mkdirSync(join(dir, `day=${day}`), { recursive: true });
    for (const f of list) {
      files++;
      const path = join(dir, `day=${day}`, f.name);
      if (existsSync(path)) continue;
      const res = await fetch(`${dev.url}/v1/archive/events/${day}/${encodeURIComponent(f.name)}`, { headers: ADMIN });
      if (res.status !== 200) throw new Error(`archive file ${day}/${f.name}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
    }
  }
  return files;
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms / 1000} s; last ${JSON.stringify(v).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Every archived event once (a retried batch's second copy dropped, as the archive's readers do), days D7..D1. */
const EVENTS = () => `(SELECT *, coalesce(event, name) AS ename, coalesce(anonymous_id, user_id) AS visitor, strftime(timestamp, '%Y-%m-%d') AS d
  FROM read_parquet('${dir}/*/*.parquet', hive_partitioning = true, union_by_name = true)
  QUALIFY row_number() OVER (PARTITION BY message_id ORDER BY received_at) = 1)`;
const inDays = (lo: string, hi: string) => `d >= '${lo}' AND d <= '${hi}'`;
/** The writers' own events (segment entries and exits): not something a visitor did. An event without a name is not one. */
const SYSTEM = `coalesce(ename IN ('Segment Entered', 'Segment Exited'), false)`;
/** An order's revenue (properties.revenue, else properties.total, else 0), summed exactly in cents. */
const CENTS = (expr: string) => `CAST(coalesce(sum(CASE WHEN ${expr} THEN coalesce(TRY_CAST(json_extract(properties, '$.revenue') AS DECIMAL(18, 2)), TRY_CAST(json_extract(properties, '$.total') AS DECIMAL(18, 2)), 0) END), 0) * 100 AS BIGINT)`;

/** The overview's counts for [lo, hi] by the dashboard's definitions, and the previous period [plo, phi]. */
async function duckOverview(lo: string, hi: string, plo: string, phi: string) {
  const n = async (sql: string) => Number(Object.values((await duck(sql))[0]!)[0] ?? 0);
  const visitors = `SELECT DISTINCT visitor FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND NOT ${SYSTEM} AND visitor IS NOT NULL`;
  const orders = (a: string, b: string) => `SELECT * FROM ${EVENTS()} WHERE ${inDays(a, b)} AND ename = 'Order Completed'`;
  const buyers = (a: string, b: string) => `SELECT DISTINCT visitor FROM (${orders(a, b)}) WHERE visitor IS NOT NULL`;
  const latest = `SELECT answer FROM (
      SELECT json_extract(properties, '$.answer') AS answer,
             row_number() OVER (PARTITION BY visitor ORDER BY timestamp DESC, message_id DESC) AS rn
      FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND ename = 'Question Answered' AND json_extract_string(properties, '$.question') = 'nps')
    WHERE rn = 1 AND TRY_CAST(answer AS DOUBLE) BETWEEN 0 AND 10`;
  const counts = {
    visitors: await n(`SELECT count(*) FROM (${visitors})`),
    orders: await n(`SELECT count(*) FROM (${orders(lo, hi)})`),
    buyers: await n(`SELECT count(*) FROM (${buyers(lo, hi)})`),
    revenue: await n(`SELECT ${CENTS('true')} FROM (${orders(lo, hi)})`),
    repeatBuyers: await n(`SELECT count(*) FROM (SELECT visitor FROM (${orders('0000-00-00', hi)}) WHERE visitor IN (${buyers(lo, hi)}) GROUP BY visitor HAVING count(*) >= 2)`),
    previousBuyers: await n(`SELECT count(*) FROM (${buyers(plo, phi)})`),
    churned: await n(`SELECT count(*) FROM (${buyers(plo, phi)}) WHERE visitor NOT IN (${visitors})`),
    promoters: await n(`SELECT count(*) FROM (${latest}) WHERE CAST(answer AS DOUBLE) >= 9`),
    passives: await n(`SELECT count(*) FROM (${latest}) WHERE CAST(answer AS DOUBLE) >= 7 AND CAST(answer AS DOUBLE) < 9`),
    detractors: await n(`SELECT count(*) FROM (${latest}) WHERE CAST(answer AS DOUBLE) <= 6`),
  };
  const daily = await duck(`SELECT d AS day,
      count(DISTINCT CASE WHEN NOT ${SYSTEM} THEN visitor END) AS visitors,
      count(DISTINCT CASE WHEN ename = 'Order Completed' THEN visitor END) AS buyers,
      count(CASE WHEN ename = 'Order Completed' THEN 1 END) AS orders,
      ${CENTS(`ename = 'Order Completed'`)} AS revenue
    FROM ${EVENTS()} WHERE ${inDays(lo, hi)} GROUP BY d ORDER BY d`);
  return { counts, daily: daily.map((r) => ({ day: String(r.day), visitors: Number(r.visitors), buyers: Number(r.buyers), orders: Number(r.orders), revenue: Number(r.revenue) })) };
}

/** Visitors reaching each step in order within [lo, hi]: step k at or after the first time they reached step k−1. */
async function duckFunnel(lo: string, hi: string): Promise<number[]> {
  const step = (i: number) => `SELECT visitor AS v, timestamp AS t FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND ename = '${STEPS[i]}' AND visitor IS NOT NULL`;
  const ctes = STEPS.map((_, i) =>
    i === 0 ? `s0 AS (SELECT v, min(t) AS t FROM (${step(0)}) GROUP BY v)` : `s${i} AS (SELECT p.v, min(e.t) AS t FROM s${i - 1} p JOIN (${step(i)}) e ON e.v = p.v AND e.t >= p.t GROUP BY p.v)`,
  );
  const row = (await duck(`WITH ${ctes.join(', ')} SELECT ${STEPS.map((_, i) => `(SELECT count(*) FROM s${i}) AS n${i}`).join(', ')}`))[0]!;
  return STEPS.map((_, i) => Number(row[`n${i}`]));
}

/** Per arm: visitors exposed in [lo, hi] (their first exposure's arm), and those with a goal after it (own, or by a linked user id). */
async function duckArms(lo: string, hi: string): Promise<Record<string, [number, number]>> {
  const rows = await duck(`
    WITH exposed AS (
      SELECT anonymous_id AS vid, arg_min(json_extract_string(properties, '$.variant_id'), timestamp) AS arm, min(timestamp) AS first_at
      FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND type = 'track' AND ename = 'Experiment Viewed' AND anonymous_id IS NOT NULL
        AND json_extract_string(properties, '$.experiment_id') = '${X}' GROUP BY anonymous_id),
    links AS (SELECT DISTINCT anonymous_id AS vid, user_id AS uid FROM ${EVENTS()} WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL),
    goals AS (SELECT anonymous_id, user_id, timestamp FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND type = 'track' AND ename = '${GOAL}')
    SELECT arm, count(*) AS exposures,
      count(CASE WHEN EXISTS (SELECT 1 FROM goals g WHERE g.timestamp > x.first_at
        AND (g.anonymous_id = x.vid OR g.user_id IN (SELECT uid FROM links l WHERE l.vid = x.vid))) THEN 1 END) AS conversions
    FROM exposed x GROUP BY arm`);
  return Object.fromEntries(rows.map((r) => [String(r.arm), [Number(r.exposures), Number(r.conversions)]]));
}

/**
 * Last-click attribution: an order of the visitor containing the clicked product within `days` days after a click
 * in [lo, hi] goes to the latest such click's strategy. Orders and revenue (in cents) per strategy.
 */
async function duckAttribution(lo: string, hi: string, days: number): Promise<Record<string, { orders: number; revenue: number }>> {
  const item = (j: string) => `coalesce(json_extract_string(${j}, '$.product_id'), json_extract_string(${j}, '$.sku'), json_extract_string(${j}, '$.id'))`;
  const rows = await duck(`
    WITH clicks AS (SELECT visitor AS v, timestamp AS t, json_extract_string(properties, '$.strategy') AS s, ${item('properties')} AS p
      FROM ${EVENTS()} WHERE ${inDays(lo, hi)} AND ename = 'Product Clicked' AND json_extract_string(properties, '$.strategy') IS NOT NULL),
    orders AS (SELECT message_id AS id, visitor AS v, timestamp AS t, properties FROM ${EVENTS()} WHERE d >= '${lo}' AND ename = 'Order Completed' AND visitor IS NOT NULL),
    matched AS (
      SELECT o.id, o.properties, c.s, row_number() OVER (PARTITION BY o.id ORDER BY c.t DESC) AS rn
      FROM orders o JOIN clicks c ON c.v = o.v AND c.t <= o.t AND o.t < c.t + INTERVAL ${days} DAY
      WHERE list_contains([${item('x')} FOR x IN CAST(json_extract(o.properties, '$.products[*]') AS JSON[])], c.p))
    SELECT s, count(*) AS orders, ${CENTS('true')} AS revenue FROM matched WHERE rn = 1 GROUP BY s`);
  return Object.fromEntries(rows.map((r) => [String(r.s), { orders: Number(r.orders), revenue: Number(r.revenue) }]));
}

type Overview = { counts: Record<string, number>; series: { day: string; visitors: number; buyers: number; orders: number; revenue: number }[] };
const overview = (source: 'rollup' | 'raw') => getJson<Overview>(`/v1/reports/overview?site=demo&from=${PERIOD.from}&to=${PERIOD.to}&source=${source}`);
/** The report's figures with revenue in cents (a float sum, exact once rounded to its cents). */
const asCompared = (o: Overview) => ({
  counts: { ...o.counts, revenue: Math.round(o.counts.revenue! * 100) },
  daily: o.series.map(({ day, visitors, buyers, orders, revenue }) => ({ day, visitors, buyers, orders, revenue: Math.round(revenue * 100) })),
});

describe('reports for closed days agree with the archive read by DuckDB (wrangler dev)', () => {
  let expected: Awaited<ReturnType<typeof duckOverview>>;

  beforeAll(async () => {
    duck = async (sql) => {
      const db = await (await DuckDBInstance.create(':memory:')).connect();
      await db.run("SET TimeZone = 'UTC'");
      return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    };
    // An event window of 0 days: the cron keeps only today's events in D1.
    dev = await startDev({ testScheduled: true, vars: { ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000', ATTUNE_EVENT_WINDOW_DAYS: '0' } });
    const { browser, server } = traffic();
    for (const e of [...browser, ...server]) sent.add(e.messageId);
    for (let i = 0; i < browser.length; i += 100) await post('demo', browser.slice(i, i + 100));
    for (let i = 0; i < server.length; i += 100) await post('demo-server', server.slice(i, i + 100));
    await post('demo', browser.slice(0, 100)); // a client's retry after a lost answer: the same events again
    // The consumer writes the archive first, then D1: wait for every event in the archive, then for the D1 log.
    await until(
      'every sent event in the archive',
      async () => {
        if (!(await download())) return 0;
        return Number((await duck(`SELECT count(DISTINCT message_id) AS n FROM ${EVENTS()} WHERE message_id IN (SELECT unnest(${JSON.stringify([...sent]).replace(/"/g, "'")}))`))[0]!.n);
      },
      (n) => n === sent.size,
    );
    expected = await duckOverview(PERIOD.from, PERIOD.to, D(6), D(4));
    await until('the D1 log holding what the archive holds (raw overview)', () => overview('raw').then(asCompared), (o) => JSON.stringify(o.counts) === JSON.stringify(expected.counts));
    // The cron: closed days rolled up, then their events deleted from D1 (the window keeps today only).
    const cron = await fetch(`${dev.url}${CRON}`);
    if (cron.status !== 200) throw new Error(`cron: ${cron.status} ${(await cron.text()).slice(0, 300)}`);
  }, 300_000);

  afterAll(async () => {
    await dev?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the traffic has what the KPIs need: orders, buyers, repeat buyers, churn, NPS of every kind, every day', () => {
    const c = expected.counts;
    expect(Math.min(c.orders, c.buyers, c.repeatBuyers, c.previousBuyers, c.churned, c.promoters, c.passives, c.detractors)).toBeGreaterThan(0);
    expect(c.revenue % 100).not.toBe(0); // cents: a float sum that drifted would show
    expect(expected.daily.map((d) => d.day)).toEqual([D(3), D(2), D(1)]);
  });

  it('the window dropped the closed days: the events alone (source=raw) no longer hold them', async () => {
    const raw = await overview('raw');
    expect(raw.counts.visitors).toBe(0);
    expect(expected.counts.visitors).toBeGreaterThan(0);
  });

  it('the overview of closed days (rollups): every KPI count and every day of the series, to the digit', async () => {
    const report = asCompared(await overview('rollup'));
    expect(report.counts).toEqual(expected.counts);
    expect(report.daily).toEqual(expected.daily);
  });

  it('the funnel of closed days: visitors at each step', async () => {
    const report = await getJson<{ steps: { step: string; visitors: number }[] }>(`/v1/reports/funnel?site=demo&from=${PERIOD.from}&to=${PERIOD.to}&steps=${encodeURIComponent(STEPS.join(','))}`);
    const counts = await duckFunnel(PERIOD.from, PERIOD.to);
    expect(counts[0]).toBeGreaterThan(counts.at(-1)!);
    expect(counts.at(-1)).toBeGreaterThan(0);
    expect(report.steps.map((s) => s.visitors)).toEqual(counts);
  });

  it('the experiment of closed days: exposures and conversions per arm', async () => {
    const report = await getJson<{ experiments: { id: string; arms: { id: string; exposures: number; conversions: number }[] }[] }>(
      `/v1/reports/experiments?site=demo&experiment=${X}&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    const expectedArms = await duckArms(PERIOD.from, PERIOD.to);
    expect(Object.values(expectedArms).every(([n, c]) => n > 0 && c > 0)).toBe(true);
    const arms = Object.fromEntries(report.experiments[0]!.arms.map((a) => [a.id, [a.exposures, a.conversions]]));
    expect(arms).toEqual(expectedArms);
  });

  it('the recommendations of closed days: orders and revenue attributed to each strategy (last click, 7 days)', async () => {
    const report = await getJson<{ strategies: { strategy: string; orders: number; revenue: number }[] }>(`/v1/reports/recommendations?site=demo&from=${PERIOD.from}&to=${PERIOD.to}&window=7`);
    const expectedOrders = await duckAttribution(PERIOD.from, PERIOD.to, 7);
    expect(Object.values(expectedOrders).reduce((n, s) => n + s.orders, 0)).toBeGreaterThan(4);
    const got = Object.fromEntries(report.strategies.filter((s) => s.orders > 0).map((s) => [s.strategy, { orders: s.orders, revenue: Math.round(s.revenue * 100) }]));
    expect(got).toEqual(expectedOrders);
  });
});
