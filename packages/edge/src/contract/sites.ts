// The part of the marketer config the ingest needs: who may send, from where, and how long their data is
// kept. The whole config is in config.ts.
import * as z from './zod.js';

const serverKeyName = z
  .string()
  .check(z.regex(/^ATTUNE_SERVER_KEY(_[A-Z0-9_]{1,40})?$/, 'is the NAME of a Worker secret starting with ATTUNE_SERVER_KEY, e.g. ATTUNE_SERVER_KEY_SHOP'));

/** Whether the runtime's Intl knows this IANA zone (every modern runtime ships the full tz database). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const siteSchema = z.object({
  /** Where local schedule times are read (config/local-time.ts): the shop's own clock, not the server's. */
  timeZone: z
    ._default(z.string().check(z.refine(isTimeZone, 'is an IANA time zone such as Europe/Berlin, America/New_York or UTC')), 'UTC')
    .check(z.describe('The IANA time zone (Europe/Berlin, America/New_York…) schedules without an offset are read in; default UTC.')),
  /** Public, like Segment's: it identifies the site, it does not authorize anything secret. */
  writeKey: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.describe(
        'The public key the script tag sends (`data-write-key`); it identifies the site, it is not a secret. Server libraries send a server key (serverKeyEnv).',
      ),
    ),
  /** Origins (scheme://host[:port]) whose pages may send events and consent; same-origin always may. */
  allowedOrigins: z
    ._default(z.array(z.url({ message: 'must be an origin such as https://shop.example' })), [])
    .check(z.describe('Origins whose pages may send events and consent (CORS); same-origin always may.')),
  /** Days a profile and its events are kept after the visitor was last seen. */
  retentionDays: z
    ._default(z.int().check(z.gte(1), z.lte(3650)), 395)
    .check(z.describe('Days a profile and its events are kept after the visitor was last seen.')),
  /** Requests per minute one client (by IP, never stored) may send with this key. */
  rateLimitPerMinute: z
    ._default(z.int().check(z.gte(1)), 600)
    .check(z.describe('Requests per minute one client may send with this key; more get 429 with Retry-After.')),
  /** The NAME of the Worker secret that proves user ids (http/identity-proof.ts); never the secret itself. */
  identitySecretEnv: z
    ._default(
      z
        .string()
        .check(
          z.regex(
            /^ATTUNE_IDENTITY_SECRET(_[A-Z0-9_]{1,40})?$/,
            'is the NAME of a Worker secret starting with ATTUNE_IDENTITY_SECRET, e.g. ATTUNE_IDENTITY_SECRET_SHOP',
          ),
        ),
      'ATTUNE_IDENTITY_SECRET',
    )
    .check(
      z.describe(
        "The name of the Worker secret (`wrangler secret put ATTUNE_IDENTITY_SECRET…`) the site's backend signs user ids with: " +
          'a browser request names a user id only with userHash = hex HMAC-SHA-256(secret, userId). Never the secret itself.',
      ),
    ),
  /**
   * The NAMES of the Worker secrets that are this site's server write keys (http/server-keys.ts); never the keys.
   * More than one lets a key be rotated: add the new, move the servers, remove the old.
   */
  serverKeyEnv: z
    ._default(z.union([serverKeyName, z.array(serverKeyName).check(z.minLength(1), z.maxLength(4))]), 'ATTUNE_SERVER_KEY')
    .check(
      z.describe(
        'The name(s) of the Worker secrets (`wrangler secret put ATTUNE_SERVER_KEY…`) your backend, server libraries and `attune import` send as the write key. ' +
          'Events sent with one are trusted: their user ids, aliases and emails link profiles. Never the key itself, and never in a page.',
      ),
    ),
});

export type Site = z.infer<typeof siteSchema>;
export type SiteWithId = Site & { id: string };
