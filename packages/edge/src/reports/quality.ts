// GET /v1/reports/quality?site=&from=&to=: data-quality findings of the period — the flags ingest raised on
// traits (invalid emails, phones that cannot be put in E.164), and orders the revenue and recommendation
// reports cannot use (no revenue, no products).
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { traitFlags, type QualityFlag, type TraitRow } from './quality-shape.js';
import { readPeriod, readSite } from './params.js';
import { ensureReportsSchema } from './schema.js';
import { ORDER, VISITOR } from './sql.js';

const CONTACT = ['email', 'phone', 'mobile', 'phoneNumber', 'phone_number'].map((k) => `json_extract(body, '$.traits.${k}') IS NOT NULL`).join(' OR ');

export function qualityRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const period = readPeriod((k) => c.req.query(k));
    const db = c.env.EVENTS;
    await ensureReportsSchema(db);
    const [traits, orders] = await db.batch<Record<string, unknown>>([
      // identify events have no name: the (site, name, timestamp) index finds them as name IS NULL.
      db
        .prepare(
          `SELECT ${VISITOR} AS v, json_extract(body, '$.traits') AS traits, json_extract(body, '$.context.locale') AS locale
           FROM events WHERE site = ?1 AND name IS NULL AND timestamp >= ?2 AND timestamp < ?3 AND type = 'identify' AND (${CONTACT})`,
        )
        .bind(site, period.start, period.end),
      db
        .prepare(
          `SELECT total(coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total')) IS NULL) AS no_revenue,
                  count(DISTINCT CASE WHEN coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total')) IS NULL THEN ${VISITOR} END) AS no_revenue_v,
                  total(coalesce(json_array_length(body, '$.properties.products'), 0) = 0) AS no_products,
                  count(DISTINCT CASE WHEN coalesce(json_array_length(body, '$.properties.products'), 0) = 0 THEN ${VISITOR} END) AS no_products_v,
                  count(*) AS orders
           FROM events WHERE site = ?1 AND name = '${ORDER}' AND timestamp >= ?2 AND timestamp < ?3`,
        )
        .bind(site, period.start, period.end),
    ]);
    const rows = traits!.results as TraitRow[];
    const o = (orders!.results[0] ?? {}) as Record<string, number>;
    const flags: QualityFlag[] = [...traitFlags(rows)];
    if (o.no_revenue) flags.push({ issue: 'order without revenue', path: 'properties.revenue', events: Number(o.no_revenue), visitors: Number(o.no_revenue_v) });
    if (o.no_products) flags.push({ issue: 'order without products', path: 'properties.products', events: Number(o.no_products), visitors: Number(o.no_products_v) });
    return c.json({
      site,
      period: { from: period.from, to: period.to, days: period.days },
      checked: { identifies: rows.length, orders: Number(o.orders ?? 0) },
      flags,
    });
  });
  return app;
}
