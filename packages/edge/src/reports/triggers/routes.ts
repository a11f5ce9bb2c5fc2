// GET /v1/reports/triggers?site=&trigger=&outcome=&limit=50: the latest webhook deliveries (one row per
// idempotency key: its attempts so far, the last status or error, and when the next retry is due).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { TriggerLogReport } from '../../contract/reports.js';
import { fail } from '../../http/errors.js';
import { OUTCOMES, recentDeliveries } from '../../triggers/log.js';
import { RETRY_DELAYS_MS } from '../../triggers/webhook.js';
import { didYouMean, oneOf, readInt, readSite } from '../params.js';

export function triggerLogRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const site = readSite(c);
    const configured = c.var.config.config.triggers.map((t) => t.id);
    const trigger = c.req.query('trigger');
    if (trigger !== undefined && !configured.includes(trigger)) {
      const hint = didYouMean(trigger, configured);
      fail(400, `unknown trigger ${JSON.stringify(trigger.slice(0, 80))}${hint ? ` — did you mean "${hint}"?` : `: ${oneOf(configured)}`}`);
    }
    const outcome = c.req.query('outcome');
    if (outcome !== undefined && !(OUTCOMES as readonly string[]).includes(outcome)) fail(400, `unknown outcome ${JSON.stringify(outcome.slice(0, 40))}: ${oneOf(OUTCOMES)}`);
    const limit = readInt(c, 'limit', 50, 1, 500);
    const deliveries = await recentDeliveries(c.env.EVENTS, site, { trigger, outcome, limit });
    return c.json({
      site,
      triggers: configured,
      deliveries: deliveries.map((d) => ({
        ...d,
        // The profile's timer is due this long after the attempt was logged (the Durable Object's own clock).
        nextRetryAt: d.outcome === 'retrying' ? new Date(Date.parse(d.lastAt) + RETRY_DELAYS_MS[d.attempts - 1]!).toISOString() : null,
      })),
    } satisfies TriggerLogReport);
  });
  return app;
}
