// The event envelope, after the Segment Spec (https://segment.com/docs/connections/spec/common/),
// so the Segment and RudderStack server libraries and people's habits carry over.
// Defined once here; the tracker imports the *types* only, so no zod reaches a browser bundle.
import * as z from 'zod';
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

const id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
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
  path: z.string().optional(),
  url: z.string().optional(),
  referrer: z.string().optional(),
  title: z.string().optional(),
  search: z.string().optional(),
});

/** utm_* parameters without the prefix, as Segment names them (`utm_campaign` → `name`). */
export const campaignSchema = z.looseObject({
  name: z.string().optional(),
  source: z.string().optional(),
  medium: z.string().optional(),
  term: z.string().optional(),
  content: z.string().optional(),
});

export const contextSchema = z.looseObject({
  page: pageContextSchema.optional(),
  campaign: campaignSchema.optional(),
  locale: z.string().optional(),
  userAgent: z.string().optional(),
  library: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  consent: consentStateSchema.optional(),
});

const common = {
  messageId: id,
  anonymousId: id.optional(),
  userId: id.nullish(),
  /**
   * From a page (public write key), `userId` counts only with this proof: hex HMAC-SHA-256 of the user id with
   * the site's identity secret, computed by the site's backend (http/identity-proof.ts). Never stored.
   */
  userHash: z.string().max(200).nullish(),
  timestamp: isoTime.optional(),
  originalTimestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: contextSchema.optional(),
  integrations: json.optional(),
};

export const trackEventSchema = z.looseObject({
  ...common,
  type: z.literal('track'),
  event: id,
  properties: json.optional(),
});
export const pageEventSchema = z.looseObject({
  ...common,
  type: z.literal('page'),
  // nullish: analytics.js-style clients send `name: null` for an unnamed page
  name: z.string().max(200).nullish(),
  category: z.string().max(200).nullish(),
  properties: json.optional(),
});
export const screenEventSchema = pageEventSchema.extend({ type: z.literal('screen') });
export const identifyEventSchema = z.looseObject({
  ...common,
  type: z.literal('identify'),
  traits: json.optional(),
});
export const groupEventSchema = z.looseObject({
  ...common,
  type: z.literal('group'),
  groupId: id,
  traits: json.optional(),
});
export const aliasEventSchema = z.looseObject({
  ...common,
  type: z.literal('alias'),
  previousId: id,
  userId: id,
});

export const eventSchema = z
  .discriminatedUnion('type', [
    trackEventSchema,
    pageEventSchema,
    screenEventSchema,
    identifyEventSchema,
    groupEventSchema,
    aliasEventSchema,
  ])
  .refine((e) => Boolean(e.anonymousId || e.userId), {
    message: 'needs an anonymousId or a userId',
    path: ['anonymousId'],
  });

/** `POST /v1/batch`. Events are validated one by one so one bad event does not sink the rest. */
export const batchBodySchema = z.looseObject({
  batch: z.array(z.unknown()).min(1, 'must hold at least one event').max(LIMITS.batchEvents),
  sentAt: isoTime.optional(),
  context: contextSchema.optional(),
  writeKey: z.string().optional(),
  /** events the browser had to drop (outbox full, oversized): a data-quality counter */
  dropped: z.number().int().min(0).optional(),
});

/** One event the edge refused, so the sender can drop exactly that one and say why. */
export const rejectedEventSchema = z.object({
  index: z.number().int(),
  messageId: z.string().optional(),
  path: z.string(),
  message: z.string(),
});

export const ingestResponseSchema = z.object({
  success: z.boolean(),
  rejected: z.array(rejectedEventSchema).optional(),
  error: z.string().optional(),
});

/** `POST /v1/consent`: the visitor's own grant or withdrawal. */
export const consentRequestSchema = z.object({
  writeKey: z.string().optional(),
  anonymousId: id,
  /** Ignored unless `userHash` proves it (http/identity-proof.ts): a consent is only ever the caller's own. */
  userId: id.nullish(),
  /** hex HMAC-SHA-256 of userId with the site's identity secret, computed by the site's backend. */
  userHash: z.string().max(200).nullish(),
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
