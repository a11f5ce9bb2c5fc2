// What the reports API answers (GET /v1/reports/*), one schema per report. The dashboard imports these
// types (`import type`, by package name); each route checks its answer against them (`satisfies`) and the
// Worker tests parse the real answers with them, so the two never drift apart.
import * as z from './zod.js';
import { ruleSchema } from './rules.js';

/** A 95% interval, or null when it is undefined (e.g. no conversions in the control yet). */
const interval = z.nullable(z.tuple([z.number(), z.number()]));

/** Query of GET /v1/reports/experiments. `from`/`to` are days (YYYY-MM-DD, both inclusive) or ISO date-times (`to` exclusive). */
export const experimentsQuerySchema = z.object({
  site: z.optional(z.string()).check(z.describe('Site id; may be left out when the config has one site.')),
  from: z
    .optional(z.string())
    .check(z.describe("First day (YYYY-MM-DD) or instant (ISO date-time); default: each experiment's start, else the beginning of the log.")),
  to: z.optional(z.string()).check(z.describe('Last day (YYYY-MM-DD, inclusive) or instant (ISO date-time, exclusive); default: now.')),
  experiment: z.optional(z.string()).check(z.describe('Only this experiment, by id.')),
});

/** One arm compared with the control: relative uplift of the conversion rate and how sure we are. */
export const armComparisonSchema = z.object({
  /** (rate − controlRate) / controlRate; null while the control has no conversions */
  uplift: z.nullable(z.number()),
  /** 95% interval of the relative uplift: delta method on the log of the rate ratio (Katz) */
  ci95: interval,
  /** two-sided p-value of the pooled two-proportion z-test (= R's prop.test(correct = FALSE)) */
  pValue: z.nullable(z.number()),
  /** P(this arm's rate > the control's) under Beta(1 + conversions, 1 + non-conversions) posteriors */
  chanceToBeatControl: z.nullable(z.number()),
  /** pValue < 0.05 */
  significant: z.boolean(),
});

export const armResultSchema = z.object({
  id: z.string(),
  weight: z.number(),
  control: z.boolean(),
  /** distinct visitors with an `Experiment Viewed` for this arm (first exposure decides the arm) */
  exposures: z.int(),
  /** exposed visitors with a goal event after their first exposure */
  conversions: z.int(),
  rate: z.nullable(z.number()),
  /** null for the control */
  vsControl: z.nullable(armComparisonSchema),
});

/** Sample-ratio mismatch: do the exposures split as the arm weights say? */
export const srmSchema = z.object({
  chiSquare: z.number(),
  degreesOfFreedom: z.int(),
  pValue: z.number(),
  /** pValue < 0.001 (or exposures in an arm of weight 0): the split is broken, do not trust the results */
  warning: z.boolean(),
  message: z.nullable(z.string()),
});

export const experimentResultSchema = z.object({
  id: z.string(),
  description: z.optional(z.string()),
  slot: z.string(),
  status: z.enum(['draft', 'running', 'paused', 'completed']),
  goal: z.string(),
  control: z.string(),
  arms: z.array(armResultSchema),
  srm: srmSchema,
  /** visitors seen in more than one arm (counted in their first); many of them point at a bucketing bug */
  crossovers: z.int(),
});

export const holdoutGroupSchema = z.object({ visitors: z.int(), conversions: z.int(), rate: z.nullable(z.number()) });

/** The global holdout (defaults everywhere) against everyone else, on the holdout goal. */
export const holdoutResultSchema = z.object({
  percent: z.number(),
  goal: z.string(),
  /** all visitors in the period: holdout + rest */
  visitors: z.int(),
  holdout: holdoutGroupSchema,
  rest: holdoutGroupSchema,
  /** (restRate − holdoutRate) / holdoutRate: what personalization as a whole adds */
  lift: z.nullable(z.number()),
  ci95: interval,
  pValue: z.nullable(z.number()),
  chanceToBeatHoldout: z.nullable(z.number()),
  significant: z.boolean(),
});

export const experimentsReportSchema = z.object({
  site: z.string(),
  /** the period as timestamps, [from, to); from null = each experiment's start, else the beginning of the log */
  from: z.nullable(z.string()),
  to: z.string(),
  experiments: z.array(experimentResultSchema),
  /** null when the config has no holdout */
  holdout: z.nullable(holdoutResultSchema),
  /** how the numbers are computed, for a tooltip */
  methods: z.record(z.string(), z.string()),
});

/** Behaviour features of one profile, from the event log. */
export const DISCOVERY_FEATURES = ['recencyDays', 'orders', 'revenue', 'productViews', 'cartAdds', 'quizAnswers'] as const;
export type DiscoveryFeature = (typeof DISCOVERY_FEATURES)[number];
const featureValues = z.object(Object.fromEntries(DISCOVERY_FEATURES.map((f) => [f, z.number()])) as Record<DiscoveryFeature, z.ZodMiniNumber>);

export const rfmScoresSchema = z.object({ r: z.number(), f: z.number(), m: z.number() });

export const suggestedSegmentSchema = z.object({
  /** stable within one answer only: cluster-1 is the largest */
  id: z.string(),
  /** a short description from the features that set the cluster apart, e.g. "frequent buyers, recent" */
  name: z.string(),
  size: z.int(),
  share: z.number(),
  /** mean silhouette of the members (−1…1; higher = tighter, better separated) and mean distance to the centre */
  homogeneity: z.object({ silhouette: z.number(), spread: z.number() }),
  /** distance (standardized units) from this centre to the nearest other centre */
  distinctness: z.object({ nearest: z.string(), distance: z.number() }),
  /** fewer than 50 profiles or under 5% of them: too small to act on */
  tooSmall: z.boolean(),
  /** feature means of the members (raw units) */
  means: featureValues,
  /** mean RFM scores of the members (1–5 quintiles) */
  rfm: rfmScoresSchema,
  /** paste into `segments[].rule` of the config */
  rule: ruleSchema,
  /** how well the rule matches the cluster on today's data */
  ruleFit: z.object({ matches: z.int(), precision: z.number(), recall: z.number() }),
});

export const discoveryReportSchema = z.object({
  site: z.string(),
  profiles: z.int(),
  features: z.array(z.enum(DISCOVERY_FEATURES)),
  /** mean silhouette per k tried; the highest wins */
  candidates: z.array(z.object({ k: z.int(), silhouette: z.number() })),
  k: z.nullable(z.int()),
  /** profiles k-means was fitted on and the silhouette scored on (seeded samples of big sites; everyone is then assigned) */
  sampled: z.object({ fit: z.int(), silhouette: z.int() }),
  segments: z.array(suggestedSegmentSchema),
  /** profiles per classic RFM group (champions, loyal, at risk, …) */
  rfmGroups: z.array(z.object({ name: z.string(), size: z.int() })),
  /** why there are no suggestions, when there are none */
  note: z.nullable(z.string()),
});

export type ExperimentsQuery = z.infer<typeof experimentsQuerySchema>;
export type ArmComparison = z.infer<typeof armComparisonSchema>;
export type ArmResult = z.infer<typeof armResultSchema>;
export type SrmResult = z.infer<typeof srmSchema>;
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
export type HoldoutResult = z.infer<typeof holdoutResultSchema>;
export type ExperimentsReport = z.infer<typeof experimentsReportSchema>;
export type RfmScores = z.infer<typeof rfmScoresSchema>;
export type SuggestedSegment = z.infer<typeof suggestedSegmentSchema>;
export type DiscoveryReport = z.infer<typeof discoveryReportSchema>;

// ---- The KPI reports, funnels, segments, quality, recommendations, before/after and the trigger log.
// Each route checks its answer against these at compile time (`satisfies`); test/worker/report-answers.test.ts
// parses a real answer of each with them, so a field added on one side only fails a test.

/** The KPIs the overview and before/after reports compute (reports/kpis.ts says how). */
export const KPI_NAMES = ['visitors', 'conversion_rate', 'orders', 'revenue', 'aov', 'repeat_purchase_rate', 'churn', 'nps'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

/** A report's period: days (YYYY-MM-DD), both inclusive. */
export const reportPeriodSchema = z.object({ from: z.string(), to: z.string(), days: z.int() });

/** How a KPI is counted and which direction is good: the dashboard shows both. */
export const kpiDefinitionSchema = z.object({
  label: z.string(),
  better: z.enum(['up', 'down']),
  unit: z.enum(['count', 'rate', 'money', 'score']),
  definition: z.string(),
});

/** A value against the period before: null where a ratio has no denominator. */
export const trendSchema = z.object({
  value: z.nullable(z.number()),
  previous: z.nullable(z.number()),
  change: z.nullable(z.number()),
  relative: z.nullable(z.number()),
});

export const kpiSchema = z.object({ ...trendSchema.shape, ...kpiDefinitionSchema.shape });

/** What the SQL counts for one period, the KPIs' inputs. */
export const kpiCountsSchema = z.object({
  visitors: z.number(),
  orders: z.number(),
  buyers: z.number(),
  revenue: z.number(),
  repeatBuyers: z.number(),
  previousBuyers: z.number(),
  churned: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
});

/** GET /v1/reports/overview */
export const overviewReportSchema = z.object({
  site: z.string(),
  period: reportPeriodSchema,
  previous: z.object({ from: z.string(), to: z.string() }),
  kpis: z.record(z.enum(KPI_NAMES), kpiSchema),
  counts: kpiCountsSchema,
  /** one row per day of the period, zeros where nothing happened */
  series: z.array(
    z.object({ day: z.string(), visitors: z.number(), buyers: z.number(), orders: z.number(), revenue: z.number(), conversion_rate: z.nullable(z.number()) }),
  ),
});

/** GET /v1/reports/funnel */
export const funnelReportSchema = z.object({
  site: z.string(),
  period: reportPeriodSchema,
  steps: z.array(
    z.object({
      step: z.string(),
      visitors: z.int(),
      /** share of the first step's visitors who got this far */
      conversion: z.nullable(z.number()),
      /** share of the previous step's visitors who did not reach this one (null for the first step) */
      dropOff: z.nullable(z.number()),
      dropped: z.int(),
    }),
  ),
});

/** GET /v1/reports/segments */
export const segmentsReportSchema = z.object({
  site: z.string(),
  period: reportPeriodSchema,
  segments: z.array(
    z.object({
      segment: z.string(),
      /** members at the end of the period, and when it began */
      size: z.int(),
      sizeAtStart: z.int(),
      change: z.int(),
      entered: z.int(),
      exited: z.int(),
      /** members at the end of each day of the period */
      series: z.array(z.object({ day: z.string(), size: z.int() })),
      /** false for a segment since removed from the config that still has members in the log */
      configured: z.boolean(),
    }),
  ),
});

const dayCount = z.object({ day: z.string(), count: z.int() });

/** GET /v1/reports/quality */
export const qualityReportSchema = z.object({
  site: z.string(),
  period: reportPeriodSchema,
  checked: z.object({ identifies: z.int(), orders: z.int() }),
  flags: z.array(z.object({ issue: z.string(), path: z.string(), events: z.int(), visitors: z.int() })),
  /** bot events ingest kept out of the log: in all, per day, per family (most first) */
  bots: z.object({ events: z.int(), days: z.array(dayCount), families: z.array(z.object({ family: z.string(), count: z.int() })) }),
});

/** GET /v1/reports/recommendations */
export const recommendationsReportSchema = z.object({
  site: z.string(),
  period: reportPeriodSchema,
  /** days after a click in which an order counts for the strategy */
  windowDays: z.int(),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      views: z.int(),
      viewers: z.int(),
      clicks: z.int(),
      clickers: z.int(),
      orders: z.int(),
      revenue: z.number(),
      /** clicks / views; null without views */
      ctr: z.nullable(z.number()),
    }),
  ),
});

const beforeAfterWindow = z.object({ from: z.string(), to: z.string(), value: z.nullable(z.number()) });

/** GET /v1/reports/before-after */
export const beforeAfterReportSchema = z.object({
  site: z.string(),
  metric: z.enum(KPI_NAMES),
  ...kpiDefinitionSchema.shape,
  days: z.int(),
  before: beforeAfterWindow,
  after: beforeAfterWindow,
  change: z.nullable(z.number()),
  relative: z.nullable(z.number()),
  /** the "after" window reaches past today: sums are not comparable yet */
  partial: z.boolean(),
});

/** One webhook delivery (all attempts under one idempotency key), as its latest attempt left it. */
export const deliverySchema = z.object({
  key: z.string(),
  trigger: z.string(),
  kind: z.string(),
  profileId: z.string(),
  url: z.string(),
  /** delivered, retrying, failed or cancelled (triggers/log.ts) */
  outcome: z.string(),
  attempts: z.int(),
  status: z.nullable(z.int()),
  error: z.nullable(z.string()),
  firstAt: z.string(),
  lastAt: z.string(),
  /** when the profile's timer retries a delivery that is still retrying */
  nextRetryAt: z.nullable(z.string()),
});

/** GET /v1/reports/triggers */
export const triggerLogReportSchema = z.object({
  site: z.string(),
  /** the configured triggers' ids */
  triggers: z.array(z.string()),
  deliveries: z.array(deliverySchema),
});

export type ReportPeriod = z.infer<typeof reportPeriodSchema>;
export type KpiDefinition = z.infer<typeof kpiDefinitionSchema>;
export type Kpi = z.infer<typeof kpiSchema>;
export type OverviewReport = z.infer<typeof overviewReportSchema>;
export type FunnelReport = z.infer<typeof funnelReportSchema>;
export type SegmentsReport = z.infer<typeof segmentsReportSchema>;
export type QualityReport = z.infer<typeof qualityReportSchema>;
export type RecommendationsReport = z.infer<typeof recommendationsReportSchema>;
export type BeforeAfterReport = z.infer<typeof beforeAfterReportSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type TriggerLogReport = z.infer<typeof triggerLogReportSchema>;
