// GET /v1/reports/segments?site=&from=&to=[&segment=id]: each segment's size at the end of the period, its
// change over the period and a daily series, from `Segment Entered` / `Segment Exited` in the log.
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { SegmentsReport } from '../../contract/reports.js';
import { fail } from '../../http/errors.js';
import { daysBetween } from '../kpis/shape.js';
import { didYouMean, oneOf, readPeriod, readSite } from '../params.js';
import { readSource } from '../rollups/read.js';
import { ensureReportsSchema } from '../schema.js';
import { segmentDays } from './queries.js';
import { segmentSizes } from './shape.js';

export function segmentRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const configured = c.var.config.config.segments.map((s) => s.id);
    const only = c.req.query('segment');
    if (only !== undefined && !configured.includes(only)) {
      const hint = didYouMean(only, configured);
      fail(400, `unknown segment ${JSON.stringify(only)}${hint ? ` — did you mean "${hint}"?` : `: ${oneOf(configured)}`}`);
    }
    const db = c.env.EVENTS;
    const source = readSource(c.req.query('source'));
    await ensureReportsSchema(db);
    const results = await segmentDays(db, site, source, period);
    const rows = results.filter((r) => typeof r.segment === 'string');
    // Segments since removed from the config still have members in the log: shown after the config's own.
    const ids = only ? [only] : [...configured, ...[...new Set(rows.map((r) => r.segment))].filter((s) => !configured.includes(s)).sort()];
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      segments: segmentSizes(rows, daysBetween(period.from, period.to), ids).map((s) => ({ ...s, configured: configured.includes(s.segment) })),
    } satisfies SegmentsReport);
  });
  return app;
}
