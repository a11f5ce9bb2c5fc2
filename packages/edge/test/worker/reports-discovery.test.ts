// GET /v1/reports/segments/discover end to end: shoppers' events go in through /v1/batch, suggested
// segments come out of the D1 event log with rules the config accepts.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { validateConfig } from '../../src/config/validate.js';
import { discoveryReportSchema } from '../../src/contract/reports.js';
import { admin, ORIGIN, post, track, uid } from './helpers.js';

const consent = { context: { consent: { analytics: true, personalization: true } } };

describe('segment discovery report', () => {
  it('suggests segments from the event log, with sizes that add up and rules for the config', async () => {
    const batch: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      const a = uid('buyer');
      for (let k = 0; k < 3; k++) batch.push(track(a, 'Order Completed', { properties: { revenue: 80 + i }, ...consent }));
      batch.push(track(a, 'Product Added', consent), track(a, 'Product Added', consent));
    }
    for (let i = 0; i < 30; i++) {
      const a = uid('browser');
      for (let k = 0; k < 6; k++) batch.push(track(a, 'Product Viewed', consent));
    }
    const res = await post('/v1/batch', { writeKey: 'demo', batch });
    expect(res.status, await res.text()).toBe(200);

    const r = await admin('/v1/reports/segments/discover?site=demo');
    expect(r.status).toBe(200);
    const report = discoveryReportSchema.parse(await r.json());
    expect(report.profiles).toBeGreaterThanOrEqual(60);
    expect(report.k).not.toBeNull();
    expect(report.segments.reduce((n, s) => n + s.size, 0)).toBe(report.profiles);
    const buyers = report.segments.find((s) => s.means.orders >= 2);
    expect(buyers, JSON.stringify(report.segments)).toBeDefined();
    expect(JSON.stringify(buyers!.rule)).toContain('"commerce":"orders"');
    // Pasted into the config, every suggested rule is accepted.
    for (const s of report.segments) {
      const v = validateConfig({ ...config, segments: [...config.segments, { id: `found-${s.id}`, rule: s.rule }] });
      expect(v.ok, JSON.stringify(s.rule)).toBe(true);
    }
  });

  it('needs the admin token and a known site', async () => {
    expect((await SELF.fetch(`${ORIGIN}/v1/reports/segments/discover`)).status).toBe(401);
    const res = await admin('/v1/reports/segments/discover?site=nope');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/site: unknown site "nope"/);
  });
});
