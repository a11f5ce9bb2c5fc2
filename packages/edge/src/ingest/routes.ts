// POST /v1/batch and the single-event routes of the Segment HTTP API (/v1/track, page, identify, alias,
// screen, group). Valid events are kept and invalid ones listed; the answer is 200 only once every
// accepted event is stored by its profile's writer and is on the log Queue (no D1 on this path: the log's
// consumer writes the event log, statistics and archive off the request path). What an event's ids may link
// depends on the key it came with (trust.ts): a page's user id counts only with its proof. What a browser sends
// from a preview (decide/preview-request.ts) is checked as usual, answered as accepted, and never stored.
import { Hono, type Context } from 'hono';
import { batchBodySchema, LIMITS, type RejectedEvent, type SiteWithId } from '../contract/index.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { rateLimit } from '../http/rate-limit.js';
import { provenUserId } from '../http/identity-proof.js';
import { resolveWriter, type KeyKind } from '../http/site.js';
import { enqueueLog } from '../log/enqueue.js';
import { replenishFor } from '../triggers/replenish.js';
import type { AcceptedEvent } from '../contract/events.js';
import { routeKey, writer } from '../profile/keys.js';
import type { IngestResult } from '../profile/writer.js';
import { botFilter } from './bots.js';
import { inPool, WRITERS_AT_ONCE } from './fan-out.js';
import { sanitize, type Flag } from './clean.js';
import { trustEvent } from './trust.js';
import { acceptEvent, describeIssues, type Envelope } from './validate.js';

import type { AppEnv } from '../app-env.js';
import { fromPreview } from '../decide/preview-request.js';

export type { Bindings } from '../app-env.js';
type C = Context<AppEnv>;

/** Validates every event, settles what its ids may claim (trust.ts), then stores the valid ones. Returns the rejections. */
async function ingest(c: C, site: SiteWithId, kind: KeyKind, raw: unknown[], env: Omit<Envelope, 'receivedAt' | 'retentionDays'>, dropped: number, catalog: unknown) {
  const envelope: Envelope = { ...env, receivedAt: new Date().toISOString(), retentionDays: site.retentionDays };
  const rejected: RejectedEvent[] = [];
  const groups = new Map<string, { events: AcceptedEvent[]; flags: Flag[][] }>();
  const accepted: AcceptedEvent[] = [];
  const bots = botFilter(c);
  // A marketer's preview is not a visit: no profile, no log, no exposure, however the page's script behaves.
  const preview = kind === 'browser' && (await fromPreview(c));
  for (const [i, r] of raw.entries()) {
    const v = acceptEvent(r, i, envelope);
    if (!v.ok) {
      rejected.push(v.rejected);
      continue;
    }
    // Only a page's user id needs its proof checked; a server key is trusted as it is.
    const proven = kind === 'browser' && !!v.event.userId && (await provenUserId(c.env, site, v.event.userId, v.event.userHash)) !== undefined;
    const t = trustEvent(v.event, kind, proven);
    if (!t.ok) {
      const at = envelope.path(i);
      rejected.push({ index: i, messageId: v.event.messageId, path: at ? `${at}.${t.problem.path}` : t.problem.path, message: t.problem.message });
      continue;
    }
    const event = t.event;
    const flags = t.flag ? [...v.flags, t.flag] : v.flags;
    if (preview) continue;
    if (bots.skip(event)) continue; // accepted, counted apart: no profile, no log, no reports
    const key = routeKey(event);
    const g = groups.get(key) ?? { events: [], flags: [] };
    groups.set(key, g);
    g.events.push(event);
    g.flags.push(flags);
    accepted.push(event);
  }
  if (preview) {
    c.header('Attune-Preview', 'not recorded');
    return { rejected, results: [] };
  }
  // Triggers are planned by each writer after its merge; the catalog is read only when a repurchase-due trigger needs it.
  const triggers = c.var.config.config.triggers;
  const replenishDays = await replenishFor(c.env.PROFILES, site.id, catalog, triggers, accepted);
  const segments = [...c.var.config.segmentRules];
  const results = inPool([...groups], WRITERS_AT_ONCE, ([key, g]): Promise<IngestResult> =>
    writer(c.env.PROFILE_WRITER, site.id, key).ingest({ site: site.id, key, retentionDays: site.retentionDays, events: g.events, flags: g.flags, dropped, segments, triggers, replenishDays }),
  );
  // Both steps are idempotent (messageId), so a failure of either is answered 5xx and the retry is safe. The log
  // goes on the Queue once the writers answered, with the segment entries and exits and the recommendation
  // increments they derived, and the bot sightings.
  const stored = await results;
  await enqueueLog(c.env.LOG_QUEUE, site.id, envelope.receivedAt, {
    events: [...accepted, ...stored.flatMap((r) => r.membership ?? [])],
    recs: stored.flatMap((r) => r.recs ?? []),
    bots: bots.seen,
  });
  return { rejected, results: stored };
}

async function prelude(c: C, body: Record<string, unknown>): Promise<{ site: SiteWithId; kind: KeyKind }> {
  const sender = await resolveWriter(c, c.var.config.sites, body.writeKey);
  await rateLimit(c, 'ingest', sender.site);
  return sender;
}

/** @param opts.catalog the bundled catalog feed (repurchase-due reads its products' `replenishDays`) */
export function ingestRoutes(opts: { catalog?: unknown } = {}) {
  const app = new Hono<AppEnv>();

  app.post('/batch', async (c) => {
    const body = await readJsonObject(c, LIMITS.batchBytes, 'a batch');
    const { site, kind } = await prelude(c, body);
    const parsed = batchBodySchema.safeParse(body);
    if (!parsed.success) {
      const d = describeIssues(parsed.error.issues, '');
      fail(400, `${d.message}`);
    }
    const { batch, sentAt, context, dropped } = parsed.data;
    // Refused once for the whole batch, rather than once for each event it would be merged into.
    const ctx = context === undefined ? undefined : sanitize(context, []);
    if (ctx && 'problem' in ctx) fail(400, `context${ctx.problem.path.startsWith('[') ? '' : '.'}${ctx.problem.path}: ${ctx.problem.message}`);
    const { rejected } = await ingest(c, site, kind, batch, { sentAt, context, path: (i) => `batch[${i}]` }, dropped ?? 0, opts.catalog);
    return c.json(rejected.length ? { success: true, rejected } : { success: true });
  });

  for (const type of ['track', 'page', 'identify', 'alias', 'screen', 'group'] as const) {
    app.post(`/${type}`, async (c) => {
      const body = await readJsonObject(c, LIMITS.eventBytes, 'an event');
      const { site, kind } = await prelude(c, body);
      if (body.type !== undefined && body.type !== type) fail(400, `type: "${String(body.type)}" does not match the route /v1/${type}`);
      const { writeKey: _key, ...event } = body;
      const { rejected } = await ingest(c, site, kind, [{ ...event, type }], { path: () => '' }, 0, opts.catalog);
      if (rejected.length) return c.json({ success: false, error: `${rejected[0]!.path}: ${rejected[0]!.message}`, rejected }, 400);
      return c.json({ success: true });
    });
  }
  return app;
}
