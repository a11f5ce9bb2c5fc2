// `POST /v1/decide`: what the widgets and the edge renderer ask, and what they get back.
import * as z from 'zod';
import { campaignSchema } from './events.js';

export const decideRequestSchema = z.strictObject({
  writeKey: z.string().optional(),
  /** Without the first-party cookie (e.g. another origin), the tracker's anonymous id. */
  anonymousId: z.string().min(1).max(200).optional(),
  /** Read only with `userHash` proving it (identity verification); without, it is ignored. */
  userId: z.string().min(1).max(200).optional(),
  /** hex HMAC-SHA-256 of userId with the site's identity secret, computed by the site's backend. */
  userHash: z.string().max(200).optional(),
  /** Slots to decide; all the config has when left out. */
  slots: z.array(z.string().min(1).max(80)).max(100).optional(),
  context: z
    .strictObject({
      page: z.looseObject({ path: z.string().max(2000).optional(), url: z.string().max(4000).optional() }).optional(),
      referrer: z.string().max(4000).optional(),
      campaign: campaignSchema.optional(),
      locale: z.string().max(35).optional(),
    })
    .optional(),
  /** A signed preview link's token, or the preview a marketer holding the admin token asks for. */
  preview: z.string().max(4000).optional(),
});

export const reasonKinds = ['preview', 'experiment', 'holdout', 'bot', 'segment', 'contextual', 'default', 'no-consent'] as const;

export const decisionSchema = z.object({
  /** The variant shown: a variant id of the slot, or "default". */
  variant: z.string(),
  content: z.record(z.string(), z.unknown()),
  reason: z.object({
    kind: z.enum(reasonKinds),
    /** Segments in the winning audience */
    segments: z.array(z.string()).optional(),
    experiment: z.string().optional(),
    arm: z.string().optional(),
    /** One sentence a marketer can read. */
    detail: z.string(),
  }),
  /** Send `Experiment Viewed` with these when the slot is actually seen (absent for previews, bots, holdout). */
  exposure: z.object({ experiment_id: z.string(), variant_id: z.string() }).optional(),
});

export const decideResponseSchema = z.object({
  configVersion: z.string(),
  profileId: z.string().nullable(),
  /** Whether the visitor is in the global holdout (null: no holdout, or no consent to assign one). */
  holdout: z.boolean().nullable(),
  preview: z.boolean(),
  slots: z.record(z.string(), decisionSchema),
  unknownSlots: z.array(z.string()),
});

export type DecideRequest = z.infer<typeof decideRequestSchema>;
export type Decision = z.infer<typeof decisionSchema>;
export type DecideResponse = z.infer<typeof decideResponseSchema>;
export type ReasonKind = (typeof reasonKinds)[number];
