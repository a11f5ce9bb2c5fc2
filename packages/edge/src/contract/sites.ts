// The part of the marketer config (demo-site/attune.config.json) the ingest needs: who may send, from where,
// and how long their data is kept. Issue 5 grows this into the full config; keep `sites` as it is here.
import { z } from 'zod';

export const siteSchema = z.object({
  /** Public, like Segment's: it identifies the site, it does not authorize anything secret. */
  writeKey: z.string().trim().min(1).max(200),
  /** Origins (scheme://host[:port]) whose pages may send events and consent; same-origin always may. */
  allowedOrigins: z.array(z.url({ message: 'must be an origin such as https://shop.example' })).default([]),
  /** Days a profile and its events are kept after the visitor was last seen. */
  retentionDays: z.number().int().min(1).max(3650).default(395),
  /** Requests per minute one client (by IP, never stored) may send with this key. */
  rateLimitPerMinute: z.number().int().min(1).default(600),
});

export const configSchema = z.looseObject({
  $schema: z.string().optional(),
  sites: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a site id is lowercase letters, digits and dashes'), siteSchema)
    .refine((s) => Object.keys(s).length > 0, 'needs at least one site')
    .refine((s) => new Set(Object.values(s).map((x) => x.writeKey)).size === Object.keys(s).length, 'write keys must be unique'),
});

export type Site = z.infer<typeof siteSchema>;
export type SiteWithId = Site & { id: string };
export type AttuneConfig = z.infer<typeof configSchema>;
