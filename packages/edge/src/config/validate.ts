// Validates a marketer config: its shape (zod), then what a shape cannot say — references, cycles,
// weights, dates, duplicates. Every problem names its JSON path, what was found and what was expected.
import { configSchema, type AttuneConfig } from '../contract/config.js';
import type { Rule } from '../contract/rules.js';
import { recommendationProblems } from './recs.js';
import { checkWebhookUrl } from '../triggers/public-url.js';
import { segmentRefs } from './compile.js';
import { experimentSchedule, windowIn, type Schedule } from './schedule.js';
import { didYouMean, fromZodIssue, oneOf, show, type ConfigProblem } from './problems.js';
import { schemaKeys } from './schema-keys.js';

export interface ValidateOptions {
  /**
   * Local development (ATTUNE_ENV=development, `attune validate --dev`): a webhook may go to http://localhost,
   * 127.0.0.0/8 or [::1], for a receiver under test. Such a URL is then a warning instead of an error.
   */
  allowLocalWebhooks?: boolean;
}

/** What the Worker's environment allows: local receivers only while ATTUNE_ENV is development. */
export const validationOptions = (env: { ATTUNE_ENV?: string }): ValidateOptions => ({ allowLocalWebhooks: env.ATTUNE_ENV === 'development' });

export type ValidationResult =
  | { ok: true; config: AttuneConfig; warnings: ConfigProblem[] }
  | { ok: false; errors: ConfigProblem[]; warnings: ConfigProblem[] };

let vocabulary: Set<string> | undefined;
/** Every property name the config schema knows, for "did you mean" hints. */
const knownKeys = (): Set<string> => (vocabulary ??= schemaKeys(configSchema));

export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.flatMap((i) => fromZodIssue(i, input, knownKeys())), warnings: [] };
  const config = parsed.data;
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const error = (path: string, message: string, found?: unknown, expected?: string) =>
    errors.push({ path, message, ...(found !== undefined && { found: show(found) }), ...(expected && { expected }), severity: 'error' });

  // Duplicate ids, wherever ids name things.
  const unique = (items: { id: string }[], at: string) => {
    const seen = new Map<string, number>();
    items.forEach((x, i) => {
      const first = seen.get(x.id);
      if (first === undefined) seen.set(x.id, i);
      else error(`${at}[${i}].id`, `duplicate id (also ${at}[${first}])`, x.id, 'an id used once');
    });
  };
  unique(config.segments, 'segments');
  unique(config.slots, 'slots');
  unique(config.experiments, 'experiments');
  unique(config.quizzes, 'quizzes');
  config.slots.forEach((s, i) => {
    unique(s.variants, `slots[${i}].variants`);
    s.variants.forEach((v, j) => v.id === 'default' && error(`slots[${i}].variants[${j}].id`, '"default" names the slot\'s default content', v.id, 'another id'));
  });
  config.experiments.forEach((e, i) => unique(e.arms, `experiments[${i}].arms`));
  config.quizzes.forEach((q, i) => {
    unique(q.questions, `quizzes[${i}].questions`);
    q.questions.forEach((question, j) => unique(question.answers, `quizzes[${i}].questions[${j}].answers`));
  });

  // Segment references, in segments, variant audiences and experiment audiences.
  const segmentIds = config.segments.map((s) => s.id);
  const questions = new Set(config.quizzes.flatMap((q) => q.questions.map((x) => x.id)));
  const checkRule = (rule: Rule | undefined, at: string) => {
    for (const ref of segmentRefs(rule, at))
      if (!segmentIds.includes(ref.id)) {
        const hint = didYouMean(ref.id, segmentIds);
        error(ref.path, `unknown segment${hint ? ` — did you mean "${hint}"?` : ''}`, ref.id, oneOf(segmentIds));
      }
    walkAnswers(rule, at);
  };
  // An answer to a question no quiz defines may come from a custom form: worth a warning, not an error.
  const walkAnswers = (rule: Rule | undefined, at: string): void => {
    if (!rule) return;
    rule.all?.forEach((r, i) => walkAnswers(r, `${at}.all[${i}]`));
    rule.any?.forEach((r, i) => walkAnswers(r, `${at}.any[${i}]`));
    if (rule.not) walkAnswers(rule.not, `${at}.not`);
    if (rule.answer !== undefined && config.quizzes.length && !questions.has(rule.answer))
      warnings.push({ path: `${at}.answer`, message: 'no quiz defines this question', found: show(rule.answer), expected: oneOf([...questions]), severity: 'warning' });
  };
  config.segments.forEach((s, i) => checkRule(s.rule, `segments[${i}].rule`));
  config.slots.forEach((s, i) => s.variants.forEach((v, j) => checkRule(v.audience, `slots[${i}].variants[${j}].audience`)));
  config.experiments.forEach((e, i) => checkRule(e.audience, `experiments[${i}].audience`));

  // Reference cycles between segments: a → b → a can never be decided.
  const graph = new Map(config.segments.map((s) => [s.id, segmentRefs(s.rule).map((r) => r.id)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      const key = [...cycle].sort().join();
      if (!reported.has(key)) {
        reported.add(key);
        error(`segments[${segmentIds.indexOf(id)}].rule`, `reference cycle: ${cycle.join(' → ')}`, id, 'segments that do not refer back to themselves');
      }
      return;
    }
    state.set(id, 'visiting');
    for (const next of graph.get(id) ?? []) if (graph.has(next)) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  segmentIds.forEach((id) => visit(id, []));

  // Triggers: ids once, and the segment or quiz they watch exists.
  unique(config.triggers, 'triggers');
  config.triggers.forEach((t, i) => {
    if (t.segment !== undefined && !segmentIds.includes(t.segment)) {
      const hint = didYouMean(t.segment, segmentIds);
      error(`triggers[${i}].segment`, `unknown segment${hint ? ` — did you mean "${hint}"?` : ''}`, t.segment, oneOf(segmentIds));
    }
    const quizIds = config.quizzes.map((q) => q.id);
    if (t.quiz !== undefined && !quizIds.includes(t.quiz)) error(`triggers[${i}].quiz`, 'unknown quiz', t.quiz, oneOf(quizIds));
    // Where the signed POST may go (triggers/public-url.ts); the delivery checks it again, and every redirect.
    const url = checkWebhookUrl(t.webhook.url, { allowLocal: options.allowLocalWebhooks });
    const at = `triggers[${i}].webhook.url`;
    if (!url.ok) error(at, url.reason, t.webhook.url, 'an https URL on a public host, such as https://hooks.example.com/attune');
    else if (url.local)
      warnings.push({ path: at, message: 'reaches this machine: accepted in local development only, a deployed Worker refuses this config', found: show(t.webhook.url), severity: 'warning' });
  });

  // Schedules in order, in every time zone a site reads them in (a local time moves with the zone).
  const zones = [...new Set(Object.values(config.sites).map((site) => site.timeZone))];
  const outOfOrder = (sched: Schedule | undefined, at: string) => {
    if (sched?.from === undefined || sched.until === undefined) return;
    const zone = zones.find((z) => {
      const w = windowIn(sched, z);
      return w.from! >= w.until!;
    });
    if (zone !== undefined) error(at, `ends before it starts${zone === 'UTC' ? '' : ` (read in ${zone})`}`, sched.until, `a date after ${sched.from}`);
  };
  config.slots.forEach((s, i) => s.variants.forEach((v, j) => outOfOrder(v.schedule, `slots[${i}].variants[${j}].schedule.until`)));

  // Experiments: their slot and variants exist, weights add up to 100, dates in order, no two at once on a slot.
  config.experiments.forEach((e, i) => {
    const at = `experiments[${i}]`;
    const slot = config.slots.find((s) => s.id === e.slot);
    if (!slot) error(`${at}.slot`, 'unknown slot', e.slot, oneOf(config.slots.map((s) => s.id)));
    e.arms.forEach((a, j) => {
      if (slot && a.variant !== undefined && !slot.variants.some((v) => v.id === a.variant))
        error(`${at}.arms[${j}].variant`, `slot "${slot.id}" has no such variant`, a.variant, oneOf(slot.variants.map((v) => v.id)));
    });
    const total = e.arms.reduce((n, a) => n + a.weight, 0);
    if (Math.abs(total - 100) > 1e-9) error(`${at}.arms`, 'the weights do not add up to 100', `${e.arms.map((a) => a.weight).join(' + ')} = ${total}`, '100');
    if (e.schedule && (e.start !== undefined || e.end !== undefined))
      error(`${at}.${e.start !== undefined ? 'start' : 'end'}`, 'start and end are the older spelling of schedule: give one or the other', e.start ?? e.end, 'schedule.from and schedule.until only');
    else outOfOrder(experimentSchedule(e), e.schedule ? `${at}.schedule.until` : `${at}.end`);
  });
  const running = config.experiments.map((e, i) => ({ e, i })).filter(({ e }) => e.status === 'running');
  const span = (e: (typeof running)[number]['e'], zone: string) => {
    const w = windowIn(experimentSchedule(e), zone);
    return { from: w.from ?? -Infinity, until: w.until ?? Infinity };
  };
  running.forEach(({ e, i }, n) => {
    for (const { e: other, i: j } of running.slice(0, n)) {
      if (other.slot !== e.slot) continue;
      const overlap = zones.some((z) => span(e, z).from < span(other, z).until && span(other, z).from < span(e, z).until);
      if (overlap)
        error(`experiments[${i}].slot`, `runs on slot "${e.slot}" at the same time as experiments[${j}] ("${other.id}"): a visitor can take part in one experiment per slot`, e.slot, 'disjoint dates, or another slot');
    }
  });

  // Recommendations: fallbacks that exist and end, price ranges in order (config/recs.ts).
  for (const p of recommendationProblems(config)) (p.severity === 'error' ? errors : warnings).push(p);

  return errors.length ? { ok: false, errors, warnings } : { ok: true, config, warnings };
}
