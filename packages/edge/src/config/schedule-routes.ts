// GET /v1/config/schedule?at=<ISO>&site=<id> (admin, viewer and up): every variant and experiment of the live
// config with what its schedule makes it at that instant — live, next, ended, or always — read in the site's
// time zone (config/schedule.ts, pure). The studio's schedule view, and "what will the page show on Friday?".
import { Hono } from 'hono';
import { requireRole } from '../admin/auth.js';
import type { AppEnv } from '../app-env.js';
import { fail } from '../http/errors.js';
import { oneOf } from './problems.js';
import { scheduleOf } from './schedule.js';

export function scheduleRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/config/schedule', requireRole('viewer'), (c) => {
    const config = c.var.config;
    const atParam = c.req.query('at');
    const at = atParam === undefined ? Date.now() : Date.parse(atParam);
    if (Number.isNaN(at)) fail(400, `at: "${atParam!.slice(0, 60)}" is not a date-time; give an ISO instant such as 2026-12-01T09:00:00Z`);
    const siteId = c.req.query('site');
    const site = siteId === undefined ? config.sites[0] : config.sites.find((s) => s.id === siteId);
    if (!site) fail(400, `site: unknown site "${siteId!.slice(0, 80)}": ${oneOf(config.sites.map((s) => s.id))}`);
    const timeZone = site!.timeZone;
    return c.json({ site: site!.id, timeZone, at: new Date(at).toISOString(), items: scheduleOf(config.config, at, timeZone) });
  });

  return app;
}
