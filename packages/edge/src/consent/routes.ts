// POST /v1/consent: the visitor's own choice. A grant is recorded on the profile and answered with the
// first-party HttpOnly cookie edge rendering reads (signed, http/capability.ts); a withdrawal (no purpose)
// erases the profile and clears the cookie. Only the profile the caller holds: the anonymous id of its valid
// cookie, else the one the body names (the tracker's random id), and a user id only with its proof
// (userHash). An unproven userId is ignored, so nobody changes, links or erases another person's profile.
// The answer names the profile only by a key the caller showed.
import { Hono } from 'hono';
import { CONSENT_COOKIE, consentRequestSchema } from '../contract/index.js';
import { readJsonObject } from '../http/body.js';
import { consentCookieOf, cookieSecret, signConsentCookie } from '../http/capability.js';
import { fail } from '../http/errors.js';
import { provenUserId } from '../http/identity-proof.js';
import { rateLimit } from '../http/rate-limit.js';
import { checkOrigin, resolveSite } from '../http/site.js';
import type { AppEnv } from '../app-env.js';
import { describeIssues } from '../ingest/validate.js';
import { writer } from '../profile/keys.js';
import { resolveProfile } from '../profile/resolve.js';

export function cookieHeader(value: string, maxAge: number, secure: boolean): string {
  return `${CONSENT_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function consentRoutes() {
  const app = new Hono<AppEnv>();
  app.post('/', async (c) => {
    const body = await readJsonObject(c, 8 * 1024, 'a consent request');
    const site = resolveSite(c, c.var.config.sites, body.writeKey);
    checkOrigin(c, site);
    await rateLimit(c, 'reads', site);
    const parsed = consentRequestSchema.safeParse(body);
    if (!parsed.success) fail(400, describeIssues(parsed.error.issues, '').message);
    const { consent } = parsed.data;
    const held = await consentCookieOf(c.env, c.req.header('cookie'), site.id);
    const anonymousId = held?.anonymousId ?? parsed.data.anonymousId;
    const userId = await provenUserId(c.env, site, parsed.data.userId, parsed.data.userHash);
    // A grant lands on this browser's own profile, which forwards to the customer's once a proven identify linked the
    // two (ingest links; consent never does): set on `u:<id>` directly, the browser's later events — which carry no
    // proof and so go by the anonymous id — would start a profile of their own beside it.
    const key = `a:${anonymousId}`;
    const secure = new URL(c.req.url).protocol === 'https:';
    c.header('Cache-Control', 'no-store');

    if (!consent.analytics && !consent.personalization) {
      let erased: string | null = null;
      for (const id of [`a:${anonymousId}`, ...(userId ? [`u:${userId}`] : [])]) {
        const p = await resolveProfile(c.env.PROFILE_WRITER, site.id, id);
        if (p && (await writer(c.env.PROFILE_WRITER, site.id, p.id).erase(site.id)).erased) erased ??= id;
      }
      c.header('Set-Cookie', cookieHeader('', 0, secure));
      return c.json({ success: true, consent, erased });
    }

    const stored = await writer(c.env.PROFILE_WRITER, site.id, key).setConsent(site.id, key, consent, new Date().toISOString(), anonymousId, site.retentionDays);
    // Without ATTUNE_COOKIE_SECRET (production) no cookie is issued: an unsigned one would be a forgeable capability.
    const secret = cookieSecret(c.env);
    if (secret) c.header('Set-Cookie', cookieHeader(await signConsentCookie(secret, site.id, { anonymousId, consent }), site.retentionDays * 86_400, secure));
    return c.json({ success: true, consent, profileId: userId && stored === `u:${userId}` ? stored : key });
  });
  return app;
}
