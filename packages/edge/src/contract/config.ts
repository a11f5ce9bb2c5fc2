// The marketer config (demo-site/attune.config.json): the single source of its JSON Schema
// (config/json-schema.ts) and of the types decide, segments and experiments use.
import * as z from './zod.js';
import { ruleSchema } from './rules.js';
import { siteSchema } from './sites.js';
import { triggerSchema } from './triggers.js';

const id = z.string().check(z.regex(/^[A-Za-z0-9][\w.-]{0,79}$/, 'is letters, digits, "-", "_" or "." (at most 80), starting with a letter or digit'));
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
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    sec < 60 &&
    (!offset || (Number(offset.slice(1, 3)) <= 14 && Number(offset.slice(4)) < 60))
  );
}

export const scheduleTimeSchema = z
  .string()
  .check(
    z.regex(
      SCHEDULE_TIME,
      "is an ISO 8601 date-time: an instant such as 2026-12-01T00:00:00Z or 2026-12-01T09:00:00+01:00, or a local time in the site's time zone such as 2026-12-01T09:00 or 2026-12-01",
    ),
    z.refine(realTime, 'is not a real date and time (check the day of the month, the hour and the offset)'),
    z.describe(
      "An instant (2026-12-01T00:00:00Z, 2026-12-01T09:00:00+01:00) or a local time in the site's timeZone (2026-12-01T09:00; 2026-12-01 is midnight). " +
        'A local time skipped when clocks go forward is that time after the jump; one that occurs twice is the first.',
    ),
  );

export const contentSchema = z
  .looseObject({
    title: z.optional(z.string().check(z.regex(/\S/, 'must not be empty: leave title out for no heading'))).check(z.describe('The heading.')),
    text: z.optional(z.string()).check(z.describe('Plain text under the heading (always escaped).')),
    image: z.optional(z.string()).check(z.describe('Image URL, shown with reserved space so nothing shifts.')),
    href: z.optional(z.string()).check(z.describe('Where the whole block links to.')),
    cta: z.optional(z.object({ label: z.string(), href: z.string() })).check(z.describe('A call-to-action button.')),
    /**
     * The only raw HTML a page gets from Attune (visitor data is always escaped). Named for what it is: it is
     * not sanitized, so it is for trusted authors only — the config is published by admins.
     */
    unsafeHtml: z
      .optional(z.string())
      .check(
        z.describe(
          'Raw HTML inserted into the page as is, NOT sanitized, instead of the fields above. Trusted authors only (publishing the config needs the admin token): ' +
            "never paste visitor data or a third party's snippet you have not read.",
        ),
      ),
  })
  .check(
    z.superRefine((c, ctx) => {
      // Renamed so that nobody writes raw HTML without knowing it is raw; as an extra field it would pass silently.
      if ('html' in c)
        ctx.addIssue({
          code: 'custom',
          path: ['html'],
          message: 'renamed to unsafeHtml: it is inserted as raw HTML, not sanitized, so only trusted authors may write it',
        });
    }),
  )
  .register(z.globalRegistry, { id: 'Content', description: 'What a slot shows. Any extra fields reach the page as data.' });

export const scheduleSchema = z
  .strictObject({ from: z.optional(scheduleTimeSchema), until: z.optional(scheduleTimeSchema) })
  .check(z.describe("Live from `from` (inclusive) until `until` (exclusive), in the site's time zone unless an offset is given; either may be left out."));

export const variantSchema = z.strictObject({
  id,
  description: z.optional(z.string()),
  audience: z.optional(ruleSchema).check(z.describe('Who sees it; leave out for everyone.')),
  priority: z._default(z.int(), 0).check(z.describe('The highest matching priority wins; ties go to the earlier variant.')),
  schedule: z.optional(scheduleSchema),
  content: contentSchema,
});

export const slotSchema = z.strictObject({
  id,
  description: z.optional(z.string()),
  default: contentSchema.check(z.describe('Shown when no variant matches, to the holdout group, and without consent.')),
  variants: z._default(z.array(variantSchema), []),
});

export const armSchema = z
  .strictObject({
    id,
    weight: z.number().check(z.gte(0), z.lte(100), z.describe("Percent of the experiment's traffic; the arms add up to 100.")),
    variant: z.optional(z.string()).check(z.describe('Show a variant of the slot, by id.')),
    content: z.optional(contentSchema).check(z.describe('Show this content, seen only inside the experiment.')),
  })
  .check(
    z.refine((a) => !(a.variant !== undefined && a.content !== undefined), {
      message: 'an arm shows a variant or its own content, not both; with neither it is the control (what targeting would show)',
    }),
  );

export const experimentSchema = z.strictObject({
  id,
  description: z.optional(z.string()),
  slot: z.string().check(z.describe('The slot it runs on.')),
  status: z._default(z.enum(['draft', 'running', 'paused', 'completed']), 'running'),
  audience: z.optional(ruleSchema).check(z.describe('Who takes part; leave out for everyone.')),
  schedule: z.optional(scheduleSchema).check(z.describe("When it runs (with status running): as a variant's schedule, in the site's time zone.")),
  start: z.optional(scheduleTimeSchema).check(z.describe('Older spelling of schedule.from; use one or the other.')),
  end: z.optional(scheduleTimeSchema).check(z.describe('Older spelling of schedule.until; use one or the other.')),
  arms: z.array(armSchema).check(z.minLength(2, 'an experiment needs at least two arms')),
  goal: z._default(z.string(), 'Order Completed').check(z.describe('The event that counts as a conversion.')),
});

export const segmentSchema = z.strictObject({
  id,
  name: z.optional(z.string()).check(z.describe('Shown in reports and the preview.')),
  description: z.optional(z.string()),
  rule: ruleSchema.check(z.describe("Who is a member; recomputed after every batch of the visitor's events.")),
});

export const quizAnswerSchema = z.strictObject({
  id,
  label: z.string(),
  tags: z._default(z.array(z.string()), []).check(z.describe('Catalog tags this answer implies (recommendations boost them).')),
  attributes: z
    ._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), {})
    .check(z.describe('Product attributes this answer implies, e.g. {"skinType": "dry"}.')),
});

export const quizQuestionSchema = z.strictObject({
  id,
  text: z.string().check(z.describe('The question as the visitor reads it.')),
  type: z._default(z.enum(['single', 'multiple', 'nps', 'text']), 'single').check(z.describe('single or multiple choice, a 0–10 NPS scale, or free text.')),
  answers: z._default(z.array(quizAnswerSchema), []),
});

export const quizSchema = z.strictObject({
  id,
  title: z.string(),
  questions: z.array(quizQuestionSchema).check(z.minLength(1), z.describe("Asked one per step; answers go to the profile through the tracker's answer().")),
});

export const RECS_STRATEGY_TYPES = ['for-you', 'viewed-together', 'bought-together', 'trending', 'recently-viewed', 'quiz', 'popular'] as const;
export type RecStrategyType = (typeof RECS_STRATEGY_TYPES)[number];

export const recFiltersSchema = z
  .strictObject({
    inStock: z._default(z.boolean(), true).check(z.describe('Only products in stock.')),
    excludePurchased: z._default(z.boolean(), true).check(z.describe('Leave out what the visitor already bought.')),
    excludeCart: z._default(z.boolean(), true).check(z.describe("Leave out what is in the visitor's cart.")),
    categories: z.optional(z.array(z.string())).check(z.describe('Only these categories.')),
    minPrice: z.optional(z.number().check(z.nonnegative())),
    maxPrice: z.optional(z.number().check(z.nonnegative())),
  })
  .check(z.describe('Which products may be recommended at all.'));

export const recStrategySchema = z
  .strictObject({
    type: z.enum(RECS_STRATEGY_TYPES).check(z.describe("The algorithm; the strategy's name is what `?strategy=` asks for.")),
    description: z.optional(z.string()),
    limit: z.optional(z.int().check(z.gte(1), z.lte(50))).check(z.describe('Default number of products (the request may ask for fewer or more, up to 50).')),
    fallback: z.optional(z.string()).check(z.describe('The strategy that fills the list when this one finds too few; default "popular".')),
    maxPerCategory: z.optional(z.int().check(z.gte(1))).check(z.describe('At most this many products of one category, for variety.')),
    filters: z.optional(recFiltersSchema),
    minSupport: z.optional(z.int().check(z.gte(1))).check(z.describe('viewed-together / bought-together: how many shoppers must have done both (default 2).')),
    filterAttributes: z
      .optional(z.array(z.string()))
      .check(z.describe('quiz / for-you: answer attributes products must match (default ["skinType"]); other answer attributes and tags only boost.')),
  })
  .register(z.globalRegistry, { id: 'RecommendationStrategy' });

export const recommendationsSchema = z
  .strictObject({
    catalog: z.optional(
      z.strictObject({
        feed: z.string().check(z.minLength(1), z.describe('The JSON or CSV product feed, relative to this file; `npx attune catalog import` loads it.')),
      }),
    ),
    defaults: z._default(
      z.strictObject({
        limit: z._default(z.int().check(z.gte(1), z.lte(50)), 8),
        maxPerCategory: z.optional(z.int().check(z.gte(1))),
        filters: z.optional(recFiltersSchema),
      }),
      { limit: 8 },
    ),
    strategies: z
      ._default(z.record(id, recStrategySchema), {})
      .check(z.describe('Named strategies. Each built-in type is also available under its own name with the defaults.')),
  })
  .register(z.globalRegistry, {
    id: 'Recommendations',
    description: 'The product catalog and the recommendation strategies the API and widgets ask for by name.',
  });

export type RecFilters = z.infer<typeof recFiltersSchema>;
export type RecStrategy = z.infer<typeof recStrategySchema>;
export type RecommendationsConfig = z.infer<typeof recommendationsSchema>;

export const configSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    sites: z.record(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a site id is lowercase letters, digits and dashes')), siteSchema).check(
      z.refine((s) => Object.keys(s).length > 0, 'needs at least one site'),
      z.refine((s) => new Set(Object.values(s).map((x) => x.writeKey)).size === Object.keys(s).length, 'write keys must be unique'),
      z.describe('The sites that send to this Worker, by id: who may send, from where, and how long data is kept.'),
    ),
    segments: z._default(z.array(segmentSchema), []).check(z.describe('Named groups of visitors, each defined by a rule over the profile and the request.')),
    slots: z._default(z.array(slotSchema), []).check(z.describe('Places on a page (`<attune-slot name="…">`) and the content each audience sees there.')),
    experiments: z
      ._default(z.array(experimentSchema), [])
      .check(z.describe('A/B tests on a slot: visitors are split between arms by a stable hash of their id.')),
    holdout: z
      .optional(
        z.strictObject({
          percent: z.number().check(z.gte(0), z.lte(50), z.describe('Share of visitors who see defaults everywhere, to measure total lift.')),
          salt: z._default(z.string(), 'holdout').check(z.describe('Change it to draw a new holdout group.')),
        }),
      )
      .check(z.describe('A share of visitors kept on defaults everywhere, to measure the total lift of personalization.')),
    quizzes: z
      ._default(z.array(quizSchema), [])
      .check(z.describe('Quizzes and surveys (`<attune-quiz id="…">`); their answers feed segments and recommendations.')),
    recommendations: z.optional(recommendationsSchema),
    triggers: z
      ._default(z.array(triggerSchema), [])
      .check(z.describe('Automated journeys (cart abandoned, repurchase due, birthday, segment entered/left, quiz completed), each a signed webhook POST.')),
  })
  .register(z.globalRegistry, { id: 'AttuneConfig', title: 'Attune config', description: 'Segments, slots, experiments and quizzes of an Attune site.' });

export type AttuneConfig = z.infer<typeof configSchema>;
export type AttuneConfigInput = z.input<typeof configSchema>;
export type Segment = z.infer<typeof segmentSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type Variant = z.infer<typeof variantSchema>;
export type Experiment = z.infer<typeof experimentSchema>;
export type Content = z.infer<typeof contentSchema>;
export type Quiz = z.infer<typeof quizSchema>;
