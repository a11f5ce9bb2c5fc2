// Experiment results from the event log: exposures and conversions per arm, each arm against the
// control (z-test, uplift with interval, chance to beat), the sample-ratio check, and the holdout's lift.
import type { AttuneConfig, Experiment } from '../../contract/config.js';
import type { ArmResult, ExperimentResult, ExperimentsReport, HoldoutResult } from '../../contract/reports.js';
import { bucket } from '../../experiments/hash.js';
import { chanceToBeat } from '../../stats/beta.js';
import { sampleRatioMismatch } from '../../stats/chi-square.js';
import { compareProportions, type Counts } from '../../stats/proportions.js';
import { armCounts, BEGINNING, holdoutVisitors, type ArmCountRow, type HoldoutVisitorRow } from './queries.js';
import type { Window } from './params.js';
import { Binds, readReport, wholeDays, type ReadPlan, type Source } from '../rollups/read.js';
import { anonymousDayRows } from '../rollups/rows.js';

const ALPHA = 0.05;
/** The conversion the holdout is measured on: the business outcome, whatever single experiments aim at. */
export const HOLDOUT_GOAL = 'Order Completed';

export const METHODS = {
  visitor: 'one visitor = one anonymous id (what decide randomizes); goal events also count through a user id the visitor\'s events carry',
  exposure: 'distinct visitors with an "Experiment Viewed" for the experiment; a visitor seen in several arms counts in the first',
  conversion: 'an exposed visitor with a goal event after their first exposure, before the end of the period',
  pValue: 'pooled two-proportion z-test, two-sided (= R prop.test(correct = FALSE))',
  ci95: 'relative uplift, 95% interval by the delta method on the log of the rate ratio (Katz)',
  chanceToBeatControl: 'P(arm rate > control rate) under Beta(1 + conversions, 1 + non-conversions) posteriors, exact (closed-form sum)',
  srm: 'Pearson chi-square goodness of fit of exposures against the arm weights; warning at p < 0.001',
  holdout: `holdout vs everyone else with personalization consent, on "${HOLDOUT_GOAL}" in the period, same tests`,
};

/** The arm the others are compared with: id "control", else the arm showing neither a variant nor content, else the first. */
export function controlOf(e: Experiment) {
  return e.arms.find((a) => a.id === 'control') ?? e.arms.find((a) => a.variant === undefined && a.content === undefined) ?? e.arms[0]!;
}

const rate = (c: Counts) => (c.n > 0 ? c.conversions / c.n : null);

/** Pure: counts per arm (as the SQL returns them) to the report of one experiment. */
export function experimentResult(e: Experiment, rows: readonly ArmCountRow[]): ExperimentResult {
  const control = controlOf(e);
  const countsOf = (id: string): Counts => {
    const r = rows.find((x) => x.arm === id);
    return { conversions: r?.conversions ?? 0, n: r?.exposures ?? 0 };
  };
  const base = countsOf(control.id);
  const arms: ArmResult[] = e.arms.map((a) => {
    const counts = countsOf(a.id);
    const isControl = a.id === control.id;
    const cmp = isControl ? null : compareProportions(base, counts);
    return {
      id: a.id,
      weight: a.weight,
      control: isControl,
      exposures: counts.n,
      conversions: counts.conversions,
      rate: rate(counts),
      vsControl: cmp && {
        uplift: cmp.uplift,
        ci95: cmp.ci95,
        pValue: cmp.pValue,
        chanceToBeatControl: base.n > 0 && counts.n > 0 ? chanceToBeat(base, counts) : null,
        significant: cmp.pValue !== null && cmp.pValue < ALPHA,
      },
    };
  });
  return {
    id: e.id,
    ...(e.description ? { description: e.description } : {}),
    slot: e.slot,
    status: e.status,
    goal: e.goal,
    control: control.id,
    arms,
    srm: sampleRatioMismatch(arms.map((a) => a.exposures), arms.map((a) => a.weight)),
    crossovers: rows.reduce((s, r) => s + (r.crossovers ?? 0), 0),
  };
}

/** Pure: visitors (with their conversion) split by the holdout hash decide uses, then holdout vs the rest. */
export function holdoutResult(holdout: { percent: number; salt: string }, visitors: readonly HoldoutVisitorRow[]): HoldoutResult {
  const inHoldout: Counts = { conversions: 0, n: 0 };
  const rest: Counts = { conversions: 0, n: 0 };
  for (const v of visitors) {
    const g = bucket(`holdout:${holdout.salt}`, v.vid) < holdout.percent / 100 ? inHoldout : rest;
    g.n++;
    if (v.converted) g.conversions++;
  }
  const cmp = compareProportions(inHoldout, rest);
  const group = (c: Counts) => ({ visitors: c.n, conversions: c.conversions, rate: rate(c) });
  return {
    percent: holdout.percent,
    goal: HOLDOUT_GOAL,
    visitors: inHoldout.n + rest.n,
    holdout: group(inHoldout),
    rest: group(rest),
    lift: cmp.uplift,
    ci95: cmp.ci95,
    pValue: cmp.pValue,
    chanceToBeatHoldout: inHoldout.n > 0 && rest.n > 0 ? chanceToBeat(inHoldout, rest) : null,
    significant: cmp.pValue !== null && cmp.pValue < ALPHA,
  };
}

const HOLDOUT_COLS = 'visitor, uid, ordered, personalized';

/**
 * The holdout's rows of [from, to): the whole closed days inside it from report_anonymous_days, the rest (a
 * partial first or last day, today) from the events by the same row SQL. The period may start and end at
 * any instant (an hour, in the tests): only whole days are read from the rollup.
 */
export function holdoutRowsOf(plan: ReadPlan, b: Binds, from: string, to: string): string {
  const live = (lo: string, hi: string) => `SELECT ${HOLDOUT_COLS} FROM (${anonymousDayRows('?1', b.add(lo), b.add(hi))})`;
  const days = wholeDays(plan, from, to);
  if (!days) return live(from, to);
  const rollup = `SELECT ${HOLDOUT_COLS} FROM report_anonymous_days WHERE site = ?1 AND day >= ${b.add(days.start.slice(0, 10))} AND day < ${b.add(days.end.slice(0, 10))}`;
  return [rollup, live(from, days.start), live(days.end, to)].join(' UNION ALL ');
}

/** The whole report; each experiment starts at its own `start` when the period does not say otherwise. */
export async function experimentsReport(
  db: D1Database,
  config: AttuneConfig,
  site: string,
  window: Window,
  experiments: readonly Experiment[],
  source: Source = 'rollup',
  now = Date.now(),
): Promise<ExperimentsReport> {
  const withHoldout = !!config.holdout && config.holdout.percent > 0;
  const { rows, visitors } = await readReport(
    db,
    site,
    source,
    async (plan, check) => {
      const arms = experiments.map((e) => {
        const from = window.from ?? (e.start ? new Date(e.start).toISOString() : BEGINNING);
        const ab = new Binds(site);
        return db.prepare(armCounts(plan, ab, e.id, from, window.to, e.goal)).bind(...ab.values);
      });
      const b = new Binds(site);
      const holdout = withHoldout ? [db.prepare(holdoutVisitors(plan, b, holdoutRowsOf(plan, b, window.from ?? BEGINNING, window.to), window.from ?? BEGINNING, window.to)).bind(...b.values)] : [];
      const [checked, ...done] = await db.batch([check, ...arms, ...holdout]);
      return {
        value: { rows: done.slice(0, arms.length).map((d) => d.results as ArmCountRow[]), visitors: withHoldout ? (done.at(-1)!.results as HoldoutVisitorRow[]) : [] },
        checked: checked!,
      };
    },
    now,
  );
  const results = experiments.map((e, i) => experimentResult(e, rows[i]!));
  const holdout: HoldoutResult | null = withHoldout ? holdoutResult(config.holdout!, visitors) : null;
  return { site, from: window.from, to: window.to, experiments: results, holdout, methods: METHODS };
}
