// The event envelope, after the Segment Spec (https://segment.com/docs/connections/spec/common/),
// so the Segment and RudderStack server libraries and people's habits carry over.
// Defined once here; the tracker imports the *types* only, so no zod reaches a browser bundle.
import * as z from './zod.js';
import { isRecord } from './dict.js';

/** Limits shared by the tracker (which keeps under them) and the edge (which enforces them). */
export const LIMITS = {
  /** bytes of one event, serialized (32 KiB). A literal, not 32 * 1024: the tracker's copy is typed by it. */
  eventBytes: 32_768,
  /** bytes of one batch body, serialized */
  batchBytes: 500 * 1024,
  /** events in one batch */
  batchEvents: 500,
  /** bytes a browser lets all in-flight `fetch(…, {keepalive:true})` bodies take */
  keepaliveBytes: 64 * 1024,
} as const;

const id = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters'));
// A free-form map (properties, traits, integrations) is kept as it is, the very object: a z.record would copy
// it and silently drop a `__proto__` key. Ingest's cleaning made it a fresh copy with every key its own
// (ingest/clean.ts).
const json = z.custom<Record<string, unknown>>(isRecord, { message: 'must be an object' });
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00.000Z' });

export const consentStateSchema = z.object({
  analytics: z.boolean(),
  personalization: z.boolean(),
});

export const pageContextSchema = z.looseObject({
  path: z.optional(z.string()),
  url: z.optional(z.string()),
  referrer: z.optional(z.string()),
  title: z.optional(z.string()),
  search: z.optional(z.string()),
});

/** utm_* parameters without the prefix, as Segment names them (`utm_campaign` → `name`). */
export const campaignSchema = z.looseObject({
  name: z.optional(z.string()),
  source: z.optional(z.string()),
  medium: z.optional(z.string()),
  term: z.optional(z.string()),
  content: z.optional(z.string()),
});

export const contextSchema = z.looseObject({
  page: z.optional(pageContextSchema),
  campaign: z.optional(campaignSchema),
  locale: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  library: z.optional(z.looseObject({ name: z.string(), version: z.string() })),
  consent: z.optional(consentStateSchema),
});

const common = {
  messageId: id,
  anonymousId: z.optional(id),
  userId: z.nullish(id),
  /**
   * From a page (public write key), `userId` counts only with this proof: hex HMAC-SHA-256 of the user id with
   * the site's identity secret, computed by the site's backend (http/identity-proof.ts). Never stored.
   */
  userHash: z.nullish(z.string().check(z.maxLength(200))),
  timestamp: z.optional(isoTime),
  originalTimestamp: z.optional(isoTime),
  sentAt: z.optional(isoTime),
  context: z.optional(contextSchema),
  integrations: z.optional(json),
};

export const trackEventSchema = z.looseObject({
  ...common,
  type: z.literal('track'),
  event: id,
  properties: z.optional(json),
});
export const pageEventSchema = z.looseObject({
  ...common,
  type: z.literal('page'),
  // nullish: analytics.js-style clients send `name: null` for an unnamed page
  name: z.nullish(z.string().check(z.maxLength(200))),
  category: z.nullish(z.string().check(z.maxLength(200))),
  properties: z.optional(json),
});
export const screenEventSchema = z.extend(pageEventSchema, { type: z.literal('screen') });
export const identifyEventSchema = z.looseObject({
  ...common,
  type: z.literal('identify'),
  traits: z.optional(json),
});
export const groupEventSchema = z.looseObject({
  ...common,
  type: z.literal('group'),
  groupId: id,
  traits: z.optional(json),
});
export const aliasEventSchema = z.looseObject({
  ...common,
  type: z.literal('alias'),
  previousId: id,
  userId: id,
});

export const eventSchema = z
  .discriminatedUnion('type', [trackEventSchema, pageEventSchema, screenEventSchema, identifyEventSchema, groupEventSchema, aliasEventSchema])
  .check(
    z.refine((e) => Boolean(e.anonymousId || e.userId), {
      message: 'needs an anonymousId or a userId',
      path: ['anonymousId'],
    }),
  );

/** `POST /v1/batch`. Events are validated one by one so one bad event does not sink the rest. */
export const batchBodySchema = z.looseObject({
  batch: z.array(z.unknown()).check(z.minLength(1, 'must hold at least one event'), z.maxLength(LIMITS.batchEvents)),
  sentAt: z.optional(isoTime),
  context: z.optional(contextSchema),
  writeKey: z.optional(z.string()),
  /** events the browser had to drop (outbox full, oversized): a data-quality counter */
  dropped: z.optional(z.int().check(z.gte(0))),
});

/** One event the edge refused, so the sender can drop exactly that one and say why. */
export const rejectedEventSchema = z.object({
  index: z.int(),
  messageId: z.optional(z.string()),
  path: z.string(),
  message: z.string(),
});

export const ingestResponseSchema = z.object({
  success: z.boolean(),
  rejected: z.optional(z.array(rejectedEventSchema)),
  error: z.optional(z.string()),
});

/** `POST /v1/consent`: the visitor's own grant or withdrawal. */
export const consentRequestSchema = z.object({
  writeKey: z.optional(z.string()),
  anonymousId: id,
  /** Ignored unless `userHash` proves it (http/identity-proof.ts): a consent is only ever the caller's own. */
  userId: z.nullish(id),
  /** hex HMAC-SHA-256 of userId with the site's identity secret, computed by the site's backend. */
  userHash: z.nullish(z.string().check(z.maxLength(200))),
  consent: consentStateSchema,
});

export type ConsentState = z.infer<typeof consentStateSchema>;
export type EventContext = z.infer<typeof contextSchema>;
export type TrackEvent = z.infer<typeof trackEventSchema>;
export type PageEvent = z.infer<typeof pageEventSchema>;
export type IdentifyEvent = z.infer<typeof identifyEventSchema>;
export type AliasEvent = z.infer<typeof aliasEventSchema>;
export type AttuneEvent = z.infer<typeof eventSchema>;
/**
 * What the edge verified about an accepted event's ids, set by the edge only (a client's value is dropped):
 * `server` — sent with a secret server key; `proof` — a page's userId proven by userHash. Absent: only the
 * anonymous id counts. The writer's linking policy reads it (profile/linking.ts).
 */
export type Trust = 'server' | 'proof';
/** An event after validation, cleaning and clock-skew correction: it always has a timestamp. */
export type AcceptedEvent = AttuneEvent & { timestamp: string; receivedAt: string; trust?: Trust };
export type BatchBody = z.infer<typeof batchBodySchema>;
export type RejectedEvent = z.infer<typeof rejectedEventSchema>;
export type IngestResponse = z.infer<typeof ingestResponseSchema>;
export type ConsentRequest = z.infer<typeof consentRequestSchema>;
