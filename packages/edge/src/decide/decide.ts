// decide(): for each slot, the variant this visitor sees and why. Pure and deterministic: the same profile,
// config, request and time give the same answer. Used by POST /v1/decide and by edge HTML rendering.
import type { Content } from '../contract/config.js';
import type { Decision, DecideResponse } from '../contract/decide.js';
import { dict, own } from '../contract/dict.js';
import type { Profile } from '../contract/profile.js';
import type { CompiledConfig, CompiledExperiment, CompiledSlot } from '../config/compile.js';
import { experimentSchedule, isLive, windowFor } from '../config/schedule.js';
import { isBot } from '../experiments/bots.js';
import { bucket, pickArm } from '../experiments/hash.js';
import { evaluate, segmentLookup, type Facts, type RequestContext } from '../segments/evaluate.js';

export interface Preview {
  /** Act as a member of exactly these segments */
  segments?: string[];
  /** Show this variant (or "default") in a slot */
  variants?: Record<string, string>;
}

export interface DecideInput {
  profile: Profile | null;
  /** The purposes the visitor granted (from the first-party cookie, else the profile) */
  consent: { analytics: boolean; personalization: boolean };
  context: RequestContext & { userAgent?: string };
  /** The id experiments and the holdout hash: the visitor's anonymous id, stable across their visits */
  bucketingId?: string | null;
  now: number;
  slots?: string[];
  preview?: Preview;
  /** The site's time zone, where schedules without an offset are read (default: the config's first site's) */
  timeZone?: string;
}

const asContent = (c: Content) => c as Record<string, unknown>;

export function decide(compiled: CompiledConfig, input: DecideInput): DecideResponse {
  const { profile, now, preview } = input;
  const zone = input.timeZone ?? compiled.timeZone ?? 'UTC';
  const experimentLive = (e: CompiledExperiment) => e.status === 'running' && isLive(windowFor(e, experimentSchedule(e), zone), now);
  const consent = preview ? { analytics: true, personalization: true } : input.consent;
  const forced = preview?.segments && new Set(preview.segments);
  const base = { profile, context: input.context, now, consent };
  const facts: Facts = forced ? { ...base, segment: (id) => forced.has(id) } : segmentLookup(compiled.segmentRules, base);
  const id = consent.personalization ? (input.bucketingId ?? profile?.ids.anonymousIds[0] ?? profile?.id ?? null) : null;
  const holdoutConfig = compiled.config.holdout;
  const holdout = holdoutConfig && id && !preview ? bucket(`holdout:${holdoutConfig.salt}`, id) < holdoutConfig.percent / 100 : null;
  const bot = isBot(input.context.userAgent);

  function targeted(slot: CompiledSlot): Decision {
    for (const v of slot.variants) {
      if (!isLive(windowFor(v, v.schedule, zone), now) || (!consent.personalization && !v.contextual)) continue;
      if (v.audience && !evaluate(v.audience, facts)) continue;
      return {
        variant: v.id,
        content: asContent(v.content),
        reason: !v.audience
          ? { kind: 'segment', detail: `"${v.id}" is shown to everyone (priority ${v.priority})` }
          : v.contextual
            ? { kind: 'contextual', detail: `the request matches the audience of "${v.id}"` }
            : { kind: 'segment', segments: v.segmentRefs, detail: `the visitor matches the audience of "${v.id}"${v.segmentRefs.length ? ` (${v.segmentRefs.join(', ')})` : ''}` },
      };
    }
    return {
      variant: 'default',
      content: asContent(slot.default),
      reason: consent.personalization
        ? { kind: 'default', detail: 'no variant matches this visitor' }
        : { kind: 'no-consent', detail: 'no personalization consent, and no contextual variant matches' },
    };
  }

  function decideSlot(slot: CompiledSlot): Decision {
    const forcedVariant = own(preview?.variants, slot.id);
    if (forcedVariant !== undefined) {
      const v = slot.variants.find((x) => x.id === forcedVariant);
      return {
        variant: v ? v.id : 'default',
        content: asContent(v ? v.content : slot.default),
        reason: { kind: 'preview', detail: `preview forces ${v ? `"${v.id}"` : 'the default'}` },
      };
    }
    if (holdout) return { variant: 'default', content: asContent(slot.default), reason: { kind: 'holdout', detail: 'the visitor is in the global holdout group' } };

    const experiment = consent.personalization && !preview ? slot.experiments.find((e) => experimentLive(e) && (!e.audience || evaluate(e.audience, facts))) : undefined;
    if (!experiment || !id) {
      const d = targeted(slot);
      if (!preview) return d;
      return { ...d, reason: { ...d.reason, kind: 'preview', detail: `preview as ${[...(forced ?? [])].join(', ') || 'no segment'}: ${d.reason.detail}` } };
    }
    if (bot) return { variant: 'default', content: asContent(slot.default), reason: { kind: 'bot', experiment: experiment.id, detail: 'bots and headless browsers see the default and are not counted' } };

    // Sticky: the arm recorded at first exposure wins, even after the weights change or profiles merge.
    const stored = own(profile?.experiments, experiment.id)?.variant;
    const arm = experiment.arms.find((a) => a.id === stored) ?? pickArm(experiment.arms, bucket(experiment.id, id));
    const exposure = { experiment_id: experiment.id, variant_id: arm.id };
    const variant: { id: string; content: Content } | undefined = arm.content
      ? { id: arm.id, content: arm.content }
      : arm.variant
        ? slot.variants.find((v) => v.id === arm.variant)
        : undefined;
    if (!variant) {
      const control = targeted(slot);
      return { ...control, reason: { ...control.reason, kind: 'experiment', experiment: experiment.id, arm: arm.id, detail: `experiment "${experiment.id}", arm "${arm.id}" (control): ${control.reason.detail}` }, exposure };
    }
    return {
      variant: variant.id,
      content: asContent(variant.content),
      reason: { kind: 'experiment', experiment: experiment.id, arm: arm.id, detail: `experiment "${experiment.id}" assigned arm "${arm.id}"${stored ? ' (sticky)' : ''}` },
      exposure,
    };
  }

  const wanted = input.slots ?? [...compiled.slots.keys()];
  const slots: Record<string, Decision> = dict();
  const unknownSlots: string[] = [];
  for (const name of wanted) {
    const slot = compiled.slots.get(name);
    if (slot) slots[name] = decideSlot(slot);
    else unknownSlots.push(name);
  }
  return { configVersion: compiled.version, profileId: profile?.id ?? null, holdout, preview: !!preview, slots, unknownSlots };
}
