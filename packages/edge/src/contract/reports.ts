// What the experiment-results and segment-discovery reports answer (GET /v1/reports/experiments,
// GET /v1/reports/segments/discover). The dashboard imports these types (`import type`); the routes
// parse their own answers with them in tests, so the two never drift apart.
import * as z from 'zod';
import { ruleSchema } from './rules.js';

/** A 95% interval, or null when it is undefined (e.g. no conversions in the control yet). */
const interval = z.tuple([z.number(), z.number()]).nullable();

/** Query of GET /v1/reports/experiments. `from`/`to` are days (YYYY-MM-DD, both inclusive) or ISO date-times (`to` exclusive). */
export const experimentsQuerySchema = z.object({
  site: z.string().optional().describe('Site id; may be left out when the config has one site.'),
  from: z.string().optional().describe('First day (YYYY-MM-DD) or instant (ISO date-time); default: each experiment\'s start, else the beginning of the log.'),
  to: z.string().optional().describe('Last day (YYYY-MM-DD, inclusive) or instant (ISO date-time, exclusive); default: now.'),
  experiment: z.string().optional().describe('Only this experiment, by id.'),
});

/** One arm compared with the control: relative uplift of the conversion rate and how sure we are. */
export const armComparisonSchema = z.object({
  /** (rate − controlRate) / controlRate; null while the control has no conversions */
  uplift: z.number().nullable(),
  /** 95% interval of the relative uplift: delta method on the log of the rate ratio (Katz) */
  ci95: interval,
  /** two-sided p-value of the pooled two-proportion z-test (= R's prop.test(correct = FALSE)) */
  pValue: z.number().nullable(),
  /** P(this arm's rate > the control's) under Beta(1 + conversions, 1 + non-conversions) posteriors */
  chanceToBeatControl: z.number().nullable(),
  /** pValue < 0.05 */
  significant: z.boolean(),
});

export const armResultSchema = z.object({
  id: z.string(),
  weight: z.number(),
  control: z.boolean(),
  /** distinct visitors with an `Experiment Viewed` for this arm (first exposure decides the arm) */
  exposures: z.number().int(),
  /** exposed visitors with a goal event after their first exposure */
  conversions: z.number().int(),
  rate: z.number().nullable(),
  /** null for the control */
  vsControl: armComparisonSchema.nullable(),
});

/** Sample-ratio mismatch: do the exposures split as the arm weights say? */
export const srmSchema = z.object({
  chiSquare: z.number(),
  degreesOfFreedom: z.number().int(),
  pValue: z.number(),
  /** pValue < 0.001 (or exposures in an arm of weight 0): the split is broken, do not trust the results */
  warning: z.boolean(),
  message: z.string().nullable(),
});

export const experimentResultSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  slot: z.string(),
  status: z.enum(['draft', 'running', 'paused', 'completed']),
  goal: z.string(),
  control: z.string(),
  arms: z.array(armResultSchema),
  srm: srmSchema,
  /** visitors seen in more than one arm (counted in their first); many of them point at a bucketing bug */
  crossovers: z.number().int(),
});

export const holdoutGroupSchema = z.object({ visitors: z.number().int(), conversions: z.number().int(), rate: z.number().nullable() });

/** The global holdout (defaults everywhere) against everyone else, on the holdout goal. */
export const holdoutResultSchema = z.object({
  percent: z.number(),
  goal: z.string(),
  /** all visitors in the period: holdout + rest */
  visitors: z.number().int(),
  holdout: holdoutGroupSchema,
  rest: holdoutGroupSchema,
  /** (restRate − holdoutRate) / holdoutRate: what personalization as a whole adds */
  lift: z.number().nullable(),
  ci95: interval,
  pValue: z.number().nullable(),
  chanceToBeatHoldout: z.number().nullable(),
  significant: z.boolean(),
});

export const experimentsReportSchema = z.object({
  site: z.string(),
  /** the period as timestamps, [from, to); from null = each experiment's start, else the beginning of the log */
  from: z.string().nullable(),
  to: z.string(),
  experiments: z.array(experimentResultSchema),
  /** null when the config has no holdout */
  holdout: holdoutResultSchema.nullable(),
  /** how the numbers are computed, for a tooltip */
  methods: z.record(z.string(), z.string()),
});

/** Behaviour features of one profile, from the event log. */
export const DISCOVERY_FEATURES = ['recencyDays', 'orders', 'revenue', 'productViews', 'cartAdds', 'quizAnswers'] as const;
export type DiscoveryFeature = (typeof DISCOVERY_FEATURES)[number];
const featureValues = z.object(Object.fromEntries(DISCOVERY_FEATURES.map((f) => [f, z.number()])) as Record<DiscoveryFeature, z.ZodNumber>);

export const rfmScoresSchema = z.object({ r: z.number(), f: z.number(), m: z.number() });

export const suggestedSegmentSchema = z.object({
  /** stable within one answer only: cluster-1 is the largest */
  id: z.string(),
  /** a short description from the features that set the cluster apart, e.g. "frequent buyers, recent" */
  name: z.string(),
  size: z.number().int(),
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
  ruleFit: z.object({ matches: z.number().int(), precision: z.number(), recall: z.number() }),
});

export const discoveryReportSchema = z.object({
  site: z.string(),
  profiles: z.number().int(),
  features: z.array(z.enum(DISCOVERY_FEATURES)),
  /** mean silhouette per k tried; the highest wins */
  candidates: z.array(z.object({ k: z.number().int(), silhouette: z.number() })),
  k: z.number().int().nullable(),
  /** profiles k-means was fitted on and the silhouette scored on (seeded samples of big sites; everyone is then assigned) */
  sampled: z.object({ fit: z.number().int(), silhouette: z.number().int() }),
  segments: z.array(suggestedSegmentSchema),
  /** profiles per classic RFM group (champions, loyal, at risk, …) */
  rfmGroups: z.array(z.object({ name: z.string(), size: z.number().int() })),
  /** why there are no suggestions, when there are none */
  note: z.string().nullable(),
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
