// The part of the marketer config the ingest needs: who may send, from where, and how long their data is
// kept. The whole config is in config.ts.
import { z } from 'zod';

export const siteSchema = z.object({
  /** Public, like Segment's: it identifies the site, it does not authorize anything secret. */
  writeKey: z.string().trim().min(1).max(200).describe('The public key the script tag and server libraries send (`data-write-key`); it identifies the site, it is not a secret.'),
  /** Origins (scheme://host[:port]) whose pages may send events and consent; same-origin always may. */
  allowedOrigins: z.array(z.url({ message: 'must be an origin such as https://shop.example' })).default([]).describe('Origins whose pages may send events and consent (CORS); same-origin always may.'),
  /** Days a profile and its events are kept after the visitor was last seen. */
  retentionDays: z.number().int().min(1).max(3650).default(395).describe('Days a profile and its events are kept after the visitor was last seen.'),
  /** Requests per minute one client (by IP, never stored) may send with this key. */
  rateLimitPerMinute: z.number().int().min(1).default(600).describe('Requests per minute one client may send with this key; more get 429 with Retry-After.'),
  /** The NAME of the Worker secret that proves user ids (http/identity-proof.ts); never the secret itself. */
  identitySecretEnv: z
    .string()
    .regex(/^ATTUNE_IDENTITY_SECRET(_[A-Z0-9_]{1,40})?$/, 'is the NAME of a Worker secret starting with ATTUNE_IDENTITY_SECRET, e.g. ATTUNE_IDENTITY_SECRET_SHOP')
    .default('ATTUNE_IDENTITY_SECRET')
    .describe(
      "The name of the Worker secret (`wrangler secret put ATTUNE_IDENTITY_SECRET…`) the site's backend signs user ids with: " +
        'a browser request names a user id only with userHash = hex HMAC-SHA-256(secret, userId). Never the secret itself.',
    ),
});

export type Site = z.infer<typeof siteSchema>;
export type SiteWithId = Site & { id: string };
