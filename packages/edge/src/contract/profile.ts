// The profile JSON: what the per-profile writer keeps, what KV serves to decide and the widgets,
// and what the admin API exports. Field names are fixed by DESIGN.md ("profile JSON").
import * as z from './zod.js';
import { consentStateSchema } from './events.js';

const time = z.string(); // ISO 8601, UTC
const score = z.object({ score: z.number(), at: time });

export const counterSchema = z.object({
  count: z.int(),
  firstAt: time,
  lastAt: time,
  /** events per UTC day (`YYYY-MM-DD`), the most recent `PROFILE_BOUNDS.dailyBuckets` days */
  daily: z.record(z.string(), z.int()),
});

export const cartItemSchema = z.object({
  productId: z.string(),
  quantity: z.number(),
  price: z.optional(z.number()),
  name: z.optional(z.string()),
  category: z.optional(z.string()),
});

export const profileSchema = z.object({
  /** `a:<anonymousId>` or `u:<userId>`: the key of the writer that owns the profile */
  id: z.string(),
  site: z.string(),
  ids: z.object({
    anonymousIds: z.array(z.string()),
    userId: z.nullable(z.string()),
    /** profile ids merged into this one (they now resolve here) */
    merged: z.array(z.string()),
  }),
  consent: z.nullable(z.extend(consentStateSchema, { updatedAt: time })),
  traits: z.record(z.string(), z.unknown()),
  /** event time of each trait's current value: the latest event wins, whatever order events arrive in */
  traitsAt: z.record(z.string(), time),
  answers: z.record(z.string(), z.object({ value: z.unknown(), quiz: z.optional(z.string()), at: time })),
  counters: z.record(z.string(), counterSchema),
  /** decayed interest (half-life `PROFILE_BOUNDS.affinityHalfLifeDays`), as of `at` */
  affinities: z.object({ category: z.record(z.string(), score), tag: z.record(z.string(), score) }),
  recent: z.array(z.object({ productId: z.string(), name: z.optional(z.string()), category: z.optional(z.string()), at: time })),
  commerce: z.object({
    cart: z.array(cartItemSchema),
    cartValue: z.number(),
    cartUpdatedAt: z.nullable(time),
    orders: z.int(),
    revenue: z.number(),
    averageOrderValue: z.number(),
    lastOrder: z.nullable(z.object({ orderId: z.optional(z.string()), revenue: z.number(), at: time })),
    purchased: z.array(z.string()),
  }),
  groups: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** filled by the segment engine (issue 5) */
  segments: z.record(z.string(), z.object({ since: time })),
  /** sticky experiment assignments (issue 5); a merge keeps the earlier profile's */
  experiments: z.record(z.string(), z.object({ variant: z.string(), at: time })),
  /** data-quality findings from cleaning, and events the browser had to drop, kept for the reports */
  quality: z.object({
    flags: z.array(z.object({ path: z.string(), issue: z.string(), at: time })),
    counts: z.record(z.string(), z.int()),
    droppedByClient: z.int(),
  }),
  firstSeen: time,
  lastSeen: time,
});

export type Profile = z.infer<typeof profileSchema>;
export type Counter = z.infer<typeof counterSchema>;
export type CartItem = z.infer<typeof cartItemSchema>;
/**
 * A cleaning finding about one event (ingest/clean.ts): what was fixed or not kept, at which path. It travels
 * with the event to the profile's writer, which keeps it on the profile with the event's time.
 */
export type Flag = Omit<Profile['quality']['flags'][number], 'at'>;

export const PROFILE_BOUNDS = {
  dailyBuckets: 90,
  recent: 20,
  purchased: 200,
  flags: 50,
  affinityHalfLifeDays: 14,
  /** messageIds remembered per profile to drop repeats */
  dedupWindow: 20_000,
} as const;
