// Every report route's real answer parsed with its contract schema (contract/reports.ts): the routes only
// `satisfies` the schemas' types, which says nothing about what JSON actually goes out (a spread row from
// D1, a null where the type says number), so a field renamed, dropped or added on one side fails here. The
// seed fills each answer's lists, so the row schemas are checked too, not just an empty array.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  beforeAfterReportSchema,
  discoveryReportSchema,
  experimentsReportSchema,
  funnelReportSchema,
  overviewReportSchema,
  qualityReportSchema,
  recommendationsReportSchema,
  segmentsReportSchema,
  triggerLogReportSchema,
} from '../../src/contract/reports.js';
import { logAttempt } from '../../src/triggers/log.js';
import { admin, post, track, uid } from './helpers.js';

const DAY = 86_400_000;
const consent = { context: { consent: { analytics: true, personalization: true } } };
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
// The last week up to today: the seed's events (sent now) and its bot events fall in it.
const period = `from=${day(-6)}&to=${day(0)}`;

beforeAll(async () => {
  const batch: unknown[] = [];
  // Buyers and browsers: funnel steps, recommendation views and clicks, orders, and enough distinct
  // profiles for discovery to suggest segments.
  for (let i = 0; i < 30; i++) {
    const a = uid('ans-buyer');
    batch.push(
      track(a, 'Product List Viewed', { properties: { strategy: 'for-you', list_id: 'home' }, ...consent }),
      track(a, 'Products Searched', { properties: { query: 'serum' }, ...consent }),
      track(a, 'Product Clicked', { properties: { strategy: 'for-you', product_id: 'p1' }, ...consent }),
      track(a, 'Product Viewed', { properties: { product_id: 'p1' }, ...consent }),
      track(a, 'Product Added', { properties: { product_id: 'p1' }, ...consent }),
      track(a, 'Checkout Started', consent),
      track(a, 'Order Completed', { properties: { order_id: uid('o'), revenue: 80 + i, products: [{ product_id: 'p1' }] }, ...consent }),
      track(a, 'Experiment Viewed', { properties: { experiment_id: 'hero-quiz-copy', variant_id: i % 2 ? 'bold' : 'control', slot: 'hero' }, ...consent }),
    );
  }
  for (let i = 0; i < 30; i++) {
    const a = uid('ans-browser');
    for (let k = 0; k < 4; k++) batch.push(track(a, 'Product Viewed', { properties: { product_id: `p${k}` }, ...consent }));
  }
  // A flagged trait and an order without revenue for the quality report.
  const q = uid('ans-quality');
  batch.push({ type: 'identify', messageId: uid('m'), anonymousId: q, timestamp: new Date().toISOString(), traits: { email: 'not-an-email' }, ...consent });
  batch.push(track(q, 'Order Completed', { properties: { order_id: uid('o') }, ...consent }));
  // A bot's event: kept out of the log, counted in the quality report's bots.
  batch.push(track(uid('ans-bot'), 'Product Viewed', { context: { userAgent: GOOGLEBOT } }));
  const res = await post('/v1/batch', { writeKey: 'demo', batch });
  expect(res.status, await res.text()).toBe(200);
  // Webhook deliveries, as the trigger runner logs them: one delivered, one still retrying.
  const at = new Date().toISOString();
  const row = { site: 'demo', trigger: 'cart-reminder', kind: 'webhook', profileId: uid('p'), url: 'https://crm.example.com/hook', ms: 12, at };
  await logAttempt(env.EVENTS, { ...row, key: uid('k'), attempt: 1, outcome: 'delivered', status: 200 });
  await logAttempt(env.EVENTS, { ...row, key: uid('k'), attempt: 1, outcome: 'retrying', status: 503, error: 'HTTP 503' });
});

/** GETs a report and parses it with its schema; the failure names the field that drifted. */
async function answer<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  const res = await admin(path);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const raw: unknown = JSON.parse(text);
  const parsed = schema.safeParse(raw);
  expect(parsed.success ? [] : parsed.error.issues, `${path} does not match its schema in contract/reports.ts`).toEqual([]);
  // zod drops keys its schema does not name: a field the route sends and the contract lacks shows up here.
  expect(raw, `${path} sends fields its schema in contract/reports.ts does not name`).toEqual(parsed.data);
  return parsed.data as z.infer<S>;
}

describe('every report answers what its contract schema says', () => {
  it('overview', async () => {
    const r = await answer(`/v1/reports/overview?${period}`, overviewReportSchema);
    expect(r.series.length).toBe(7);
    expect(r.kpis.orders.value).toBeGreaterThanOrEqual(31);
  });

  it('funnel', async () => {
    const r = await answer(`/v1/reports/funnel?${period}`, funnelReportSchema);
    expect(r.steps.map((s) => s.step)).toContain('Order Completed');
  });

  it('segments', async () => {
    const r = await answer(`/v1/reports/segments?${period}`, segmentsReportSchema);
    expect(r.segments.length).toBeGreaterThan(0);
  });

  it('quality', async () => {
    const r = await answer(`/v1/reports/quality?${period}`, qualityReportSchema);
    expect(r.flags.length).toBeGreaterThan(0);
    expect(r.bots.families.length).toBeGreaterThan(0);
  });

  it('recommendations', async () => {
    const r = await answer(`/v1/reports/recommendations?${period}`, recommendationsReportSchema);
    expect(r.strategies.map((s) => s.strategy)).toContain('for-you');
  });

  it('before-after', async () => {
    const r = await answer(`/v1/reports/before-after?date=${day(-2)}&days=3&metric=orders`, beforeAfterReportSchema);
    expect(r.partial).toBe(true);
  });

  it('experiments', async () => {
    const r = await answer(`/v1/reports/experiments?site=demo&from=${day(-6)}&to=${day(0)}`, experimentsReportSchema);
    expect(r.experiments.find((e) => e.id === 'hero-quiz-copy')?.arms.some((a) => a.exposures > 0)).toBe(true);
  });

  it('segment discovery', async () => {
    const r = await answer('/v1/reports/segments/discover?site=demo', discoveryReportSchema);
    expect(r.segments.length).toBeGreaterThan(0);
  });

  it('trigger log', async () => {
    const r = await answer('/v1/reports/triggers', triggerLogReportSchema);
    expect(r.deliveries.map((d) => d.outcome)).toEqual(expect.arrayContaining(['delivered', 'retrying']));
    expect(r.deliveries.find((d) => d.outcome === 'retrying')?.nextRetryAt).toEqual(expect.any(String));
  });
});
