// POST /v1/decide (the visitor's variants); admin: POST /v1/preview (a signed preview link), GET /v1/previews
// (the live ones), DELETE /v1/preview/:id (revokes one).
import { Hono } from 'hono';
import { requireAdmin } from '../admin/auth.js';
import { formatPath } from '../config/problems.js';
import { decideRequestSchema } from '../contract/decide.js';
import { deviceOf } from '../experiments/bots.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { randomId } from '../http/hmac-key.js';
import { rateLimit } from '../http/rate-limit.js';
import { checkOrigin, resolveSite } from '../http/site.js';
import type { AppEnv } from '../app-env.js';
import { visitorOf } from '../profile/visitor.js';
import { decide } from './decide.js';
import { previewClaimsSchema, previewIdSchema, previewSecret, signPreview } from './preview.js';
import { checkPreview, livePreviews, recordPreview, revokePreview } from './preview-store.js';
import type { z } from 'zod';

const DECIDE_BYTES = 16 * 1024;
const MAX_PREVIEW_MINUTES = 7 * 24 * 60;

/** A zod error as one 400 message naming each field. */
const invalid = (what: string, error: z.ZodError): never =>
  fail(400, `${what}: ${error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);

export function decideRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/decide', async (c) => {
    const parsed = decideRequestSchema.safeParse(await readJsonObject(c, DECIDE_BYTES, 'for a decide request'));
    if (!parsed.success) invalid('invalid decide request', parsed.error);
    const req = parsed.data!;
    const config = c.var.config;
    const site = resolveSite(c, config.sites, req.writeKey);
    checkOrigin(c, site);
    await rateLimit(c, 'reads', site);

    // A user id counts only with its proof (userHash); the profile is named only by a key the caller holds.
    const { anonymousId, consent, profile, profileId } = await visitorOf(c, site, req);

    let preview;
    if (req.preview) {
      const v = await checkPreview(c.env, req.preview);
      if ('error' in v) fail(403, v.error);
      preview = v.preview;
    }
    const userAgent = c.req.header('user-agent');
    const country = (c.req.raw as { cf?: { country?: string } }).cf?.country;
    const result = decide(config, {
      profile,
      consent,
      context: { ...req.context, device: deviceOf(userAgent), country, userAgent },
      bucketingId: anonymousId,
      now: Date.now(),
      slots: req.slots,
      preview,
    });
    // Personalized: never to be cached for anyone else.
    c.header('Cache-Control', 'private, no-store');
    return c.json({ ...result, profileId });
  });

  app.post('/preview', requireAdmin(), async (c) => {
    const body = await readJsonObject(c, DECIDE_BYTES, 'for a preview request');
    const minutes = body.minutes ?? 60;
    if (typeof minutes !== 'number' || !(minutes > 0 && minutes <= MAX_PREVIEW_MINUTES)) fail(400, `minutes: a number from 1 to ${MAX_PREVIEW_MINUTES}`);
    const secret = previewSecret(c.env) ?? fail(403, 'previews need the ATTUNE_PREVIEW_KEY (or ATTUNE_ADMIN_TOKEN) secret to be set');
    const id = randomId();
    const claims = previewClaimsSchema.safeParse({ id, segments: body.segments, variants: body.variants, exp: Date.now() + (minutes as number) * 60_000 });
    if (!claims.success) invalid('invalid preview request', claims.error);
    const config = c.var.config;
    const unknown = [
      ...(claims.data!.segments ?? []).filter((s) => !config.segmentRules.has(s)).map((s) => `segment "${s}"`),
      ...Object.entries(claims.data!.variants ?? {})
        .filter(([slot, v]) => !config.slots.get(slot) || (v !== 'default' && !config.slots.get(slot)!.variants.some((x) => x.id === v)))
        .map(([slot, v]) => `variant "${v}" of slot "${slot}"`),
    ];
    if (unknown.length) fail(400, `unknown ${unknown.join(', ')}`);
    const token = await signPreview(secret, claims.data!);
    await recordPreview(c.env.PROFILES, claims.data!);
    return c.json({ id, token, url: `/?attune_preview=${token}`, expires: new Date(claims.data!.exp).toISOString() });
  });

  app.get('/previews', requireAdmin(), async (c) => {
    const links = await livePreviews(c.env.PROFILES);
    return c.json({ previews: links.map(({ exp, ...l }) => ({ ...l, expires: new Date(exp).toISOString() })) });
  });

  // A revoked link shows the live page (as any visitor sees it) and POST /v1/decide refuses it with 403.
  app.delete('/preview/:id', requireAdmin(), async (c) => {
    const id = previewIdSchema.safeParse(c.req.param('id'));
    if (!id.success) invalid('invalid preview id', id.error);
    const link = await revokePreview(c.env.PROFILES, id.data!);
    if (!link) fail(404, `no live preview link "${id.data}": it expired, was revoked, or never existed`);
    return c.json({ success: true, revoked: id.data, expires: new Date(link.exp).toISOString() });
  });

  return app;
}
