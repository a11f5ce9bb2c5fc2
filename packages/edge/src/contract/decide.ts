// `POST /v1/decide`: what the widgets and the edge renderer ask, and what they get back.
import * as z from './zod.js';
import { campaignSchema } from './events.js';

export const decideRequestSchema = z.strictObject({
  writeKey: z.optional(z.string()),
  /** Without the first-party cookie (e.g. another origin), the tracker's anonymous id. */
  anonymousId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Read only with `userHash` proving it (identity verification); without, it is ignored. */
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** hex HMAC-SHA-256 of userId with the site's identity secret, computed by the site's backend. */
  userHash: z.optional(z.string().check(z.maxLength(200))),
  /** Slots to decide; all the config has when left out. */
  slots: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(80))).check(z.maxLength(100))),
  context: z.optional(
    z.strictObject({
      page: z.optional(z.looseObject({ path: z.optional(z.string().check(z.maxLength(2000))), url: z.optional(z.string().check(z.maxLength(4000))) })),
      referrer: z.optional(z.string().check(z.maxLength(4000))),
      campaign: z.optional(campaignSchema),
      locale: z.optional(z.string().check(z.maxLength(35))),
    }),
  ),
  /** A signed preview link's token, or the preview a marketer holding the admin token asks for. */
  preview: z.optional(z.string().check(z.maxLength(4000))),
});

export const reasonKinds = ['preview', 'experiment', 'holdout', 'bot', 'segment', 'contextual', 'default', 'no-consent'] as const;

export const decisionSchema = z.object({
  /** The variant shown: a variant id of the slot, or "default". */
  variant: z.string(),
  content: z.record(z.string(), z.unknown()),
  reason: z.object({
    kind: z.enum(reasonKinds),
    /** Segments in the winning audience */
    segments: z.optional(z.array(z.string())),
    experiment: z.optional(z.string()),
    arm: z.optional(z.string()),
    /** One sentence a marketer can read. */
    detail: z.string(),
  }),
  /** Send `Experiment Viewed` with these when the slot is actually seen (absent for previews, bots, holdout). */
  exposure: z.optional(z.object({ experiment_id: z.string(), variant_id: z.string() })),
});

export const decideResponseSchema = z.object({
  configVersion: z.string(),
  profileId: z.nullable(z.string()),
  /** Whether the visitor is in the global holdout (null: no holdout, or no consent to assign one). */
  holdout: z.nullable(z.boolean()),
  preview: z.boolean(),
  slots: z.record(z.string(), decisionSchema),
  unknownSlots: z.array(z.string()),
});

export type DecideRequest = z.infer<typeof decideRequestSchema>;
export type Decision = z.infer<typeof decisionSchema>;
export type DecideResponse = z.infer<typeof decideResponseSchema>;
export type ReasonKind = (typeof reasonKinds)[number];
