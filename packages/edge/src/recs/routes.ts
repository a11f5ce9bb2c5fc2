// GET /v1/recommendations (the visitor's products, for widgets and edge rendering), GET /v1/catalog (the
// products, public like the store's pages) and PUT /v1/catalog (admin: a new catalog without a deploy).
// Mounted by index.ts as `app.route('/v1', recsRoutes({ catalog }))`.
import { Hono } from 'hono';
import { requireAdmin } from '../admin/auth.js';
import { currentCatalog, saveCatalog } from '../catalog/store.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { rateLimit } from '../http/rate-limit.js';
import type { AppEnv } from '../app-env.js';
import { oneOf } from '../config/problems.js';
import { recommendationsFor, siteOf, unknown, type RecsRouteOptions } from './request.js';

const CATALOG_BYTES = 25 * 1024 * 1024;

export function recsRoutes(opts: RecsRouteOptions) {
  const app = new Hono<AppEnv>();

  app.get('/recommendations', async (c) => {
    await rateLimit(c, 'reads', siteOf(c, c.var.config.sites, c.req.query('writeKey'))); // the API only: pages render their lists unlimited
    const result = await recommendationsFor(c, opts);
    c.header('Cache-Control', 'private, no-store'); // personal: never cached for anyone else
    return c.json(result);
  });

  app.get('/catalog', async (c) => {
    const sites = c.var.config.sites;
    // The catalog is public (it is what the store's pages show): a site id will do as well as a write key.
    const bySite = c.req.query('site');
    const site = bySite ? (sites.find((s) => s.id === bySite) ?? fail(400, `site: ${unknown('site', bySite, sites.map((s) => s.id))}`)) : siteOf(c, sites, c.req.query('writeKey'));
    await rateLimit(c, 'reads', site);
    const catalog = await currentCatalog(c.env.PROFILES, site.id, opts.catalog);
    if (!catalog) fail(404, `site "${site.id}" has no catalog yet`);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ version: catalog.version, products: catalog.items.map((i) => i.product) });
  });

  app.put('/catalog', requireAdmin(), async (c) => {
    const sites = c.var.config.sites;
    const id = c.req.query('site') ?? (sites.length === 1 ? sites[0]!.id : undefined);
    if (!id) fail(400, `site: which site is this catalog for? add ?site=, ${oneOf(sites.map((s) => s.id))}`);
    if (!sites.some((s) => s.id === id)) fail(400, `site: ${unknown('site', id, sites.map((s) => s.id))}`);
    const body = await readJsonObject(c, CATALOG_BYTES, 'for a catalog');
    const r = await saveCatalog(c.env.PROFILES, id, opts.catalog, JSON.stringify(body));
    if (!r.ok) return c.json({ success: false, error: 'the catalog has errors; the current one keeps serving', problems: r.problems.slice(0, 200) }, 400);
    return c.json({ success: true, site: id, version: r.version, products: r.products });
  });

  return app;
}
