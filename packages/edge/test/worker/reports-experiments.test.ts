// GET /v1/reports/experiments end to end: events go in through /v1/batch as the tracker sends them, the
// report counts them from the D1 event log. Each test uses its own hour a few days back, so it reads
// only the events it wrote.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { experimentsReportSchema, type ExperimentsReport } from '../../src/contract/reports.js';
import { bucket } from '../../src/experiments/hash.js';
import { admin, ORIGIN, post, uid } from './helpers.js';

const EXPERIMENT = 'hero-quiz-copy'; // demo config: control 50 / bold 50, goal "Quiz Completed"
const consent = { consent: { analytics: true, personalization: true } };
let hours = 0;
/** A private hour 3–4 days ago, and a clock inside it. */
function window() {
  const start = Date.now() - 4 * 86_400_000 + (hours++ % 20) * 3_600_000;
  let tick = 0;
  return { from: new Date(start).toISOString(), to: new Date(start + 3_600_000).toISOString(), at: () => new Date(start + 1000 + tick++ * 10).toISOString() };
}
type W = ReturnType<typeof window>;

const ev = (w: W, anonymousId: string | undefined, event: string, extra: Record<string, unknown> = {}) => ({
  type: 'track', event, messageId: uid('m'), ...(anonymousId ? { anonymousId } : {}), timestamp: w.at(), context: consent, ...extra,
});
const viewed = (w: W, a: string, arm: string) => ev(w, a, 'Experiment Viewed', { properties: { experiment_id: EXPERIMENT, variant_id: arm, slot: 'hero' } });

async function send(events: unknown[]) {
  for (let i = 0; i < events.length; i += 400) {
    // The server key: the user ids below link profiles only when a server (or a proof) vouches for them.
    const res = await post('/v1/batch', { writeKey: 'demo-server', batch: events.slice(i, i + 400) });
    expect(res.status, await res.text()).toBe(200);
  }
}

async function report(w: W, extra = ''): Promise<ExperimentsReport> {
  const res = await admin(`/v1/reports/experiments?site=demo&from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}${extra}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return experimentsReportSchema.parse(await res.json());
}

describe('experiment report', () => {
  it('counts exposed visitors per arm and those who reached the goal after their first exposure', async () => {
    const w = window();
    const events: unknown[] = [];
    const control = Array.from({ length: 10 }, () => uid('c'));
    const bold = Array.from({ length: 8 }, () => uid('b'));
    // The goal before the exposure does not count; a second exposure does not add a visitor.
    const early = uid('early');
    events.push(ev(w, early, 'Quiz Completed'), viewed(w, early, 'control'));
    for (const a of control) events.push(viewed(w, a, 'control'), viewed(w, a, 'control'));
    for (const a of bold) events.push(viewed(w, a, 'bold'));
    for (const a of control.slice(0, 3)) events.push(ev(w, a, 'Quiz Completed'));
    for (const a of bold.slice(0, 3)) events.push(ev(w, a, 'Quiz Completed'));
    // A goal sent by a server with the user id only still counts for the visitor identified as that user.
    const user = uid('user');
    events.push({ type: 'identify', messageId: uid('m'), anonymousId: bold[7], userId: user, timestamp: w.at(), context: consent });
    events.push(ev(w, undefined, 'Quiz Completed', { userId: user }));
    // Other experiments' exposures and goals of unexposed visitors are not counted.
    events.push(ev(w, uid('x'), 'Experiment Viewed', { properties: { experiment_id: 'other', variant_id: 'control' } }));
    events.push(ev(w, uid('y'), 'Quiz Completed'));
    await send(events);

    const r = await report(w);
    const x = r.experiments.find((e) => e.id === EXPERIMENT)!;
    expect(x.control).toBe('control');
    expect(x.goal).toBe('Quiz Completed');
    const [c, b] = x.arms;
    expect(c).toMatchObject({ id: 'control', control: true, exposures: 11, conversions: 3, vsControl: null });
    expect(b).toMatchObject({ id: 'bold', control: false, exposures: 8, conversions: 4, rate: 0.5 });
    expect(b!.vsControl!.uplift).toBeCloseTo(0.5 / (3 / 11) - 1, 10);
    expect(b!.vsControl!.pValue).toBeGreaterThan(0.05);
    expect(b!.vsControl!.chanceToBeatControl).toBeGreaterThan(0.8);
    expect(x.srm.warning).toBe(false);
  });

  it('warns of a sample-ratio mismatch when a 50/50 experiment splits 60/20', async () => {
    const w = window();
    const events = [
      ...Array.from({ length: 60 }, () => viewed(w, uid('c'), 'control')),
      ...Array.from({ length: 20 }, () => viewed(w, uid('b'), 'bold')),
    ];
    await send(events);
    const x = (await report(w, `&experiment=${EXPERIMENT}`)).experiments;
    expect(x).toHaveLength(1);
    expect(x[0]!.arms.map((a) => a.exposures)).toEqual([60, 20]);
    expect(x[0]!.srm.chiSquare).toBeCloseTo(20, 10); // (20² + 20²) / 40
    expect(x[0]!.srm.pValue).toBeLessThan(0.001);
    expect(x[0]!.srm.warning).toBe(true);
    expect(x[0]!.srm.message).toMatch(/do not split/);
  });

  it('measures the holdout against everyone else on orders, leaving out visitors without personalization consent', async () => {
    const w = window();
    const h = config.holdout!;
    const pick = (inHoldout: boolean) => {
      for (;;) {
        const id = uid('v');
        if (bucket(`holdout:${h.salt}`, id) < h.percent / 100 === inHoldout) return id;
      }
    };
    const holdout = Array.from({ length: 4 }, () => pick(true));
    const rest = Array.from({ length: 12 }, () => pick(false));
    const events: unknown[] = [];
    for (const a of [...holdout, ...rest]) events.push(ev(w, a, 'Product Viewed'));
    for (const a of [holdout[0]!, ...rest.slice(0, 6)]) events.push(ev(w, a, 'Order Completed', { properties: { revenue: 30 } }));
    events.push(ev(w, pick(false), 'Order Completed', { context: { consent: { analytics: true, personalization: false } } }));
    await send(events);

    const r = await report(w);
    expect(r.holdout).toMatchObject({ percent: h.percent, goal: 'Order Completed', visitors: 16 });
    expect(r.holdout!.holdout).toEqual({ visitors: 4, conversions: 1, rate: 0.25 });
    expect(r.holdout!.rest).toEqual({ visitors: 12, conversions: 6, rate: 0.5 });
    expect(r.holdout!.lift).toBeCloseTo(1, 10);
  });
});

describe('experiment report: bad requests', () => {
  it('needs the admin token', async () => {
    expect((await SELF.fetch(`${ORIGIN}/v1/reports/experiments`)).status).toBe(401);
    expect((await admin('/v1/reports/experiments', 'GET', 'wrong')).status).toBe(401);
  });

  it.each([
    ['experiment=hero-quiz-cpy', /experiment: unknown experiment "hero-quiz-cpy" — did you mean "hero-quiz-copy"/],
    ['from=yesterday', /from: expected a day \(YYYY-MM-DD\) or an ISO date-time, got "yesterday"/],
    ['from=2026-02-30', /from: expected a day/],
    ['from=2026-03-02&to=2026-03-01', /period: from \(2026-03-02\) is not before to/],
    ['site=dmeo', /site: unknown site "dmeo" — did you mean "demo"/],
  ])('400 on %s, naming it', async (query, message) => {
    const res = await admin(`/v1/reports/experiments?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });
});
