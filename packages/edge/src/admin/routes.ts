// The admin and privacy API: read, export (profile, every event held — the D1 log's and the archive's —, webhook
// deliveries and pending trigger timers about the person) and erase a profile.
import { Hono } from 'hono';
import type { SiteWithId } from '../contract/index.js';
import { fail } from '../http/errors.js';
import type { AppEnv, Bindings } from '../app-env.js';
import { archivedEventsOf, withArchived } from '../archive/read.js';
import { eventsOf } from '../log/event-log.js';
import { writer } from '../profile/keys.js';
import { resolveProfile } from '../profile/resolve.js';
import { requireRole } from './auth.js';
import { attemptsAbout, deliveriesForExport, timersForExport } from './export.js';

export function adminRoutes() {
  const app = new Hono<AppEnv>();
  // The owner only: a person's data and the whole event history are not a marketer's to read.
  app.use('*', requireRole('owner'));

  const siteOf = (sites: SiteWithId[], q: string | undefined): SiteWithId => {
    if (!q && sites.length === 1) return sites[0]!;
    if (!q) fail(400, `site: missing query parameter, one of ${sites.map((s) => s.id).join(', ')}`);
    const s = sites.find((x) => x.id === q);
    if (!s) fail(404, `site: unknown site "${q}"`);
    return s;
  };
  const find = async (env: Bindings, site: SiteWithId, id: string) => {
    const p = await resolveProfile(env.PROFILE_WRITER, site.id, id);
    if (!p) fail(404, `no profile for id "${id}" in site "${site.id}"`);
    return p;
  };

  app.get('/:id', async (c) => c.json(await find(c.env, siteOf(c.var.config.sites, c.req.query('site')), c.req.param('id'))));

  app.get('/:id/export', async (c) => {
    const site = siteOf(c.var.config.sites, c.req.query('site'));
    const profile = await find(c.env, site, c.req.param('id'));
    const userIds = [profile.ids.userId, ...profile.ids.merged.filter((k) => k.startsWith('u:')).map((k) => k.slice(2))].filter((x): x is string => !!x);
    // The same ids erase removes the trigger log by (profile/writer.ts).
    const keys = [...new Set([profile.id, ...profile.ids.merged, ...profile.ids.anonymousIds.map((a) => `a:${a}`), ...userIds.map((u) => `u:${u}`)])];
    const [logged, attempts, timers] = await Promise.all([
      eventsOf(c.env.EVENTS, site.id, profile.ids.anonymousIds, userIds),
      attemptsAbout(c.env.EVENTS, site.id, keys),
      writer(c.env.PROFILE_WRITER, site.id, profile.id).pendingTimers(),
    ]);
    // A day the D1 log holds for this person is whole there (the consumer writes both stores from each message),
    // so only the other days are read from the archive: reading a day means reading every visitor's files of it.
    const loggedDays = new Set(logged.map((e) => String((e as { timestamp?: unknown }).timestamp ?? '').slice(0, 10)));
    const archived = await archivedEventsOf(c.env.ARCHIVE, c.env.EVENTS, site.id, profile.ids.anonymousIds, userIds, loggedDays);
    c.header('Content-Disposition', `attachment; filename="attune-profile-${encodeURIComponent(profile.id)}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json({
      exportedAt: new Date().toISOString(),
      profile,
      // The recent window the D1 log still holds and the archive's days, each event once.
      events: withArchived(logged, archived),
      triggers: { deliveries: deliveriesForExport(attempts), pending: timersForExport(timers) },
    });
  });

  app.delete('/:id', async (c) => {
    const site = siteOf(c.var.config.sites, c.req.query('site'));
    const profile = await find(c.env, site, c.req.param('id'));
    const r = await writer(c.env.PROFILE_WRITER, site.id, profile.id).erase(site.id);
    return c.json({ success: true, erased: r.erased, events: r.events });
  });
  return app;
}
