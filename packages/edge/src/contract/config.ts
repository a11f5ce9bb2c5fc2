// The marketer config (demo-site/attune.config.json): the single source of its JSON Schema
// (config/json-schema.ts) and of the types decide, segments and experiments use.
import * as z from 'zod';
import { ruleSchema } from './rules.js';
import { siteSchema } from './sites.js';
import { triggerSchema } from './triggers.js';

const id = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,79}$/, 'is letters, digits, "-", "_" or "." (at most 80), starting with a letter or digit');
/**
 * A schedule's bound: an instant (`Z` or an offset), or a local date-time read in the site's time zone
 * (config/local-time.ts turns it into an instant and resolves DST gaps and repeats).
 */
export const SCHEDULE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Whether a bound names a real calendar date and clock time (no 2026-02-30, no 24:00, no +15:00). */
function realTime(s: string): boolean {
  const m = SCHEDULE_TIME.exec(s);
  if (!m) return true; // the pattern's own message says what is expected
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  const offset = m[8] && m[8] !== 'Z' ? m[8] : undefined;
  return (
    t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && sec < 60 &&
    (!offset || (Number(offset.slice(1, 3)) <= 14 && Number(offset.slice(4)) < 60))
  );
}

export const scheduleTimeSchema = z
  .string()
  .regex(
    SCHEDULE_TIME,
    'is an ISO 8601 date-time: an instant such as 2026-12-01T00:00:00Z or 2026-12-01T09:00:00+01:00, or a local time in the site\'s time zone such as 2026-12-01T09:00 or 2026-12-01',
  )
  .refine(realTime, 'is not a real date and time (check the day of the month, the hour and the offset)')
  .describe(
    "An instant (2026-12-01T00:00:00Z, 2026-12-01T09:00:00+01:00) or a local time in the site's timeZone (2026-12-01T09:00; 2026-12-01 is midnight). " +
      'A local time skipped when clocks go forward is that time after the jump; one that occurs twice is the first.',
  );

export const contentSchema = z
  .looseObject({
    title: z.string().regex(/\S/, 'must not be empty: leave title out for no heading').optional().describe('The heading.'),
    text: z.string().optional().describe('Plain text under the heading (always escaped).'),
    image: z.string().optional().describe('Image URL, shown with reserved space so nothing shifts.'),
    href: z.string().optional().describe('Where the whole block links to.'),
    cta: z.object({ label: z.string(), href: z.string() }).optional().describe('A call-to-action button.'),
    /**
     * The only raw HTML a page gets from Attune (visitor data is always escaped). Named for what it is: it is
     * not sanitized, so it is for trusted authors only — the config is published by admins.
     */
    unsafeHtml: z
      .string()
      .optional()
      .describe(
        'Raw HTML inserted into the page as is, NOT sanitized, instead of the fields above. Trusted authors only (publishing the config needs the admin token): ' +
          'never paste visitor data or a third party\'s snippet you have not read.',
      ),
  })
  .superRefine((c, ctx) => {
    // Renamed so that nobody writes raw HTML without knowing it is raw; as an extra field it would pass silently.
    if ('html' in c)
      ctx.addIssue({ code: 'custom', path: ['html'], message: 'renamed to unsafeHtml: it is inserted as raw HTML, not sanitized, so only trusted authors may write it' });
  })
  .meta({ id: 'Content', description: 'What a slot shows. Any extra fields reach the page as data.' });

export const scheduleSchema = z
  .strictObject({ from: scheduleTimeSchema.optional(), until: scheduleTimeSchema.optional() })
  .describe("Live from `from` (inclusive) until `until` (exclusive), in the site's time zone unless an offset is given; either may be left out.");

export const variantSchema = z.strictObject({
  id,
  description: z.string().optional(),
  audience: ruleSchema.optional().describe('Who sees it; leave out for everyone.'),
  priority: z.number().int().default(0).describe('The highest matching priority wins; ties go to the earlier variant.'),
  schedule: scheduleSchema.optional(),
  content: contentSchema,
});

export const slotSchema = z.strictObject({
  id,
  description: z.string().optional(),
  default: contentSchema.describe('Shown when no variant matches, to the holdout group, and without consent.'),
  variants: z.array(variantSchema).default([]),
});

export const armSchema = z
  .strictObject({
    id,
    weight: z.number().min(0).max(100).describe('Percent of the experiment\'s traffic; the arms add up to 100.'),
    variant: z.string().optional().describe('Show a variant of the slot, by id.'),
    content: contentSchema.optional().describe('Show this content, seen only inside the experiment.'),
  })
  .refine((a) => !(a.variant !== undefined && a.content !== undefined), {
    message: 'an arm shows a variant or its own content, not both; with neither it is the control (what targeting would show)',
  });

export const experimentSchema = z.strictObject({
  id,
  description: z.string().optional(),
  slot: z.string().describe('The slot it runs on.'),
  status: z.enum(['draft', 'running', 'paused', 'completed']).default('running'),
  audience: ruleSchema.optional().describe('Who takes part; leave out for everyone.'),
  schedule: scheduleSchema.optional().describe("When it runs (with status running): as a variant's schedule, in the site's time zone."),
  start: scheduleTimeSchema.optional().describe('Older spelling of schedule.from; use one or the other.'),
  end: scheduleTimeSchema.optional().describe('Older spelling of schedule.until; use one or the other.'),
  arms: z.array(armSchema).min(2, 'an experiment needs at least two arms'),
  goal: z.string().default('Order Completed').describe('The event that counts as a conversion.'),
});

export const segmentSchema = z.strictObject({
  id,
  name: z.string().optional().describe('Shown in reports and the preview.'),
  description: z.string().optional(),
  rule: ruleSchema.describe('Who is a member; recomputed after every batch of the visitor\'s events.'),
});

export const quizAnswerSchema = z.strictObject({
  id,
  label: z.string(),
  tags: z.array(z.string()).default([]).describe('Catalog tags this answer implies (recommendations boost them).'),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('Product attributes this answer implies, e.g. {"skinType": "dry"}.'),
});

export const quizQuestionSchema = z.strictObject({
  id,
  text: z.string().describe('The question as the visitor reads it.'),
  type: z.enum(['single', 'multiple', 'nps', 'text']).default('single').describe('single or multiple choice, a 0–10 NPS scale, or free text.'),
  answers: z.array(quizAnswerSchema).default([]),
});

export const quizSchema = z.strictObject({
  id,
  title: z.string(),
  questions: z.array(quizQuestionSchema).min(1).describe('Asked one per step; answers go to the profile through the tracker\'s answer().'),
});

export const RECS_STRATEGY_TYPES = ['for-you', 'viewed-together', 'bought-together', 'trending', 'recently-viewed', 'quiz', 'popular'] as const;
export type RecStrategyType = (typeof RECS_STRATEGY_TYPES)[number];

export const recFiltersSchema = z
  .strictObject({
    inStock: z.boolean().default(true).describe('Only products in stock.'),
    excludePurchased: z.boolean().default(true).describe('Leave out what the visitor already bought.'),
    excludeCart: z.boolean().default(true).describe('Leave out what is in the visitor\'s cart.'),
    categories: z.array(z.string()).optional().describe('Only these categories.'),
    minPrice: z.number().nonnegative().optional(),
    maxPrice: z.number().nonnegative().optional(),
  })
  .describe('Which products may be recommended at all.');

export const recStrategySchema = z
  .strictObject({
    type: z.enum(RECS_STRATEGY_TYPES).describe('The algorithm; the strategy\'s name is what `?strategy=` asks for.'),
    description: z.string().optional(),
    limit: z.number().int().min(1).max(50).optional().describe('Default number of products (the request may ask for fewer or more, up to 50).'),
    fallback: z.string().optional().describe('The strategy that fills the list when this one finds too few; default "popular".'),
    maxPerCategory: z.number().int().min(1).optional().describe('At most this many products of one category, for variety.'),
    filters: recFiltersSchema.optional(),
    minSupport: z.number().int().min(1).optional().describe('viewed-together / bought-together: how many shoppers must have done both (default 2).'),
    filterAttributes: z
      .array(z.string())
      .optional()
      .describe('quiz / for-you: answer attributes products must match (default ["skinType"]); other answer attributes and tags only boost.'),
  })
  .meta({ id: 'RecommendationStrategy' });

export const recommendationsSchema = z
  .strictObject({
    catalog: z
      .strictObject({ feed: z.string().min(1).describe('The JSON or CSV product feed, relative to this file; `npx attune catalog import` loads it.') })
      .optional(),
    defaults: z
      .strictObject({
        limit: z.number().int().min(1).max(50).default(8),
        maxPerCategory: z.number().int().min(1).optional(),
        filters: recFiltersSchema.optional(),
      })
      .default({ limit: 8 }),
    strategies: z
      .record(id, recStrategySchema)
      .default({})
      .describe('Named strategies. Each built-in type is also available under its own name with the defaults.'),
  })
  .meta({ id: 'Recommendations', description: 'The product catalog and the recommendation strategies the API and widgets ask for by name.' });

export type RecFilters = z.infer<typeof recFiltersSchema>;
export type RecStrategy = z.infer<typeof recStrategySchema>;
export type RecommendationsConfig = z.infer<typeof recommendationsSchema>;

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    sites: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a site id is lowercase letters, digits and dashes'), siteSchema)
      .refine((s) => Object.keys(s).length > 0, 'needs at least one site')
      .refine((s) => new Set(Object.values(s).map((x) => x.writeKey)).size === Object.keys(s).length, 'write keys must be unique')
      .describe('The sites that send to this Worker, by id: who may send, from where, and how long data is kept.'),
    segments: z.array(segmentSchema).default([]).describe('Named groups of visitors, each defined by a rule over the profile and the request.'),
    slots: z.array(slotSchema).default([]).describe('Places on a page (`<attune-slot name="…">`) and the content each audience sees there.'),
    experiments: z.array(experimentSchema).default([]).describe('A/B tests on a slot: visitors are split between arms by a stable hash of their id.'),
    holdout: z
      .strictObject({
        percent: z.number().min(0).max(50).describe('Share of visitors who see defaults everywhere, to measure total lift.'),
        salt: z.string().default('holdout').describe('Change it to draw a new holdout group.'),
      })
      .optional()
      .describe('A share of visitors kept on defaults everywhere, to measure the total lift of personalization.'),
    quizzes: z.array(quizSchema).default([]).describe('Quizzes and surveys (`<attune-quiz id="…">`); their answers feed segments and recommendations.'),
    recommendations: recommendationsSchema.optional(),
    triggers: z
      .array(triggerSchema)
      .default([])
      .describe('Automated journeys (cart abandoned, repurchase due, birthday, segment entered/left, quiz completed), each a signed webhook POST.'),
  })
  .meta({ id: 'AttuneConfig', title: 'Attune config', description: 'Segments, slots, experiments and quizzes of an Attune site.' });

export type AttuneConfig = z.infer<typeof configSchema>;
export type AttuneConfigInput = z.input<typeof configSchema>;
export type Segment = z.infer<typeof segmentSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type Variant = z.infer<typeof variantSchema>;
export type Experiment = z.infer<typeof experimentSchema>;
export type Content = z.infer<typeof contentSchema>;
export type Quiz = z.infer<typeof quizSchema>;
