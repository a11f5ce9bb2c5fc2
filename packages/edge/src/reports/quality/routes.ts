// GET /v1/reports/quality?site=&from=&to=: data-quality findings of the period — the flags ingest raised on
// traits (invalid emails, phones that cannot be put in E.164), orders the revenue and recommendation
// reports cannot use (no revenue, no products), and the bot events ingest kept out of the log.
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { QualityReport } from '../../contract/reports.js';
import { botCounts } from '../../ingest/bots.js';
import { readPeriod, readSite } from '../params.js';
import { readSource } from '../rollups/read.js';
import { ensureReportsSchema } from '../schema.js';
import { qualityFlags } from './queries.js';
import { botSummary, orderFlags } from './shape.js';

export function qualityRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const source = readSource(c.req.query('source'));
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const { flags, checked } = await qualityFlags(db, site, source, period);
    const bots = await botCounts(db, site, period.from, period.to);
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      checked,
      flags: orderFlags(flags),
      bots: botSummary(bots),
    } satisfies QualityReport);
  });
  return app;
}
