// The segment rule language, in JSON. One object type — combinators, subjects and operators as optional
// keys — so editors complete every key from the JSON Schema and an error names the exact path.
// The table in segments/evaluate.test.ts documents every case.
import * as z from './zod.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** What a condition looks at. Exactly one per condition. */
export const SUBJECTS = {
  trait: z.string().check(z.minLength(1), z.describe('A trait, by name or dot path: "skin_type", "address.country".')),
  answer: z.string().check(z.minLength(1), z.describe('A quiz or survey answer, by question id: "skin-type".')),
  event: z.string().check(z.minLength(1), z.describe('How many times an event happened (within `withinDays` if given); "*" counts all events.')),
  daysSince: z
    .string()
    .check(z.minLength(1), z.describe('Days since an event last happened; "*" = since last seen, "firstSeen" = since first seen. False if it never happened.')),
  hoursSince: z.string().check(z.minLength(1), z.describe('Like daysSince, in hours.')),
  commerce: z
    .enum(['orders', 'revenue', 'averageOrderValue', 'cartValue', 'cartItems', 'daysSinceLastOrder'])
    .check(z.describe('A commerce fact of the profile.')),
  affinity: z
    .string()
    .check(z.regex(/^(category|tag):.+$/, 'is "category:<name>" or "tag:<name>"'), z.describe('A decayed affinity score, e.g. "category:moisturizers".')),
  topAffinity: z.enum(['category', 'tag']).check(z.describe('The category or tag with the highest decayed affinity.')),
  consent: z.enum(['analytics', 'personalization']).check(z.describe('Whether the visitor granted this purpose (true unless an operator says otherwise).')),
  visitor: z.enum(['new', 'returning']).check(z.describe('New: first seen within the last 30 minutes. Returning: seen before that.')),
  segment: z.string().check(z.minLength(1), z.describe('Membership of another segment, by id.')),
  context: z
    .enum([
      'device',
      'country',
      'locale',
      'referrer',
      'page.path',
      'page.url',
      'campaign.source',
      'campaign.medium',
      'campaign.name',
      'campaign.term',
      'campaign.content',
    ])
    .check(z.describe('A fact of the current request, known without a profile (contextual).')),
} as const;

export const OPERATORS = {
  eq: scalar.check(z.describe('equals')),
  ne: scalar.check(z.describe('differs from (false when the fact is missing)')),
  gt: z.number().check(z.describe('greater than')),
  gte: z.number().check(z.describe('at least')),
  lt: z.number().check(z.describe('less than')),
  lte: z.number().check(z.describe('at most')),
  in: z.array(scalar).check(z.minLength(1), z.describe('equals one of')),
  notIn: z.array(scalar).check(z.minLength(1), z.describe('equals none of (false when the fact is missing)')),
  contains: scalar.check(z.describe('a list that contains, or a text that includes, this value')),
  startsWith: z.string().check(z.describe('a text that starts with')),
  exists: z.boolean().check(z.describe('the fact is present (true) or missing (false)')),
} as const;

/** Subjects whose bare form (no operator) means "is true / is a member". */
const SHORTHAND = new Set(['consent', 'visitor', 'segment']);
/** Subjects answered from the request alone: the only ones used without personalization consent. */
export const CONTEXTUAL_SUBJECTS = new Set(['context', 'consent']);

type SubjectKey = keyof typeof SUBJECTS;
/** The operator names. segments/evaluate.ts has an evaluator for each, checked by the compiler. */
export type Operator = keyof typeof OPERATORS;
/** What each operator compares with, by operator. */
export type Operand<K extends Operator> = z.infer<(typeof OPERATORS)[K]>;
export type Condition = { [K in SubjectKey]?: z.infer<(typeof SUBJECTS)[K]> } & {
  [K in Operator]?: Operand<K>;
} & { withinDays?: number };
export type Rule = Condition & { all?: Rule[]; any?: Rule[]; not?: Rule };

const optional = <T extends Record<string, z.ZodMiniType>>(shape: T) =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, z.optional(v)])) as { [K in keyof T]: z.ZodMiniOptional<T[K]> };

export const ruleSchema: z.ZodMiniType<Rule> = z
  .checkRecursive(
    z.strictObject({
      get all() {
        return z.optional(z.array(ruleSchema).check(z.minLength(1))).check(z.describe('true when every rule is'));
      },
      get any() {
        return z.optional(z.array(ruleSchema).check(z.minLength(1))).check(z.describe('true when at least one rule is'));
      },
      get not() {
        return z.optional(ruleSchema).check(z.describe('true when the rule is false'));
      },
      ...optional(SUBJECTS),
      ...optional(OPERATORS),
      withinDays: z.optional(z.number().check(z.positive(), z.lte(3650))).check(z.describe('with `event`: count only the last N days')),
    }),
    z.superRefine((rule, ctx) => {
      const keys = Object.keys(rule);
      const combinators = keys.filter((k) => k === 'all' || k === 'any' || k === 'not');
      const subjects = keys.filter((k) => k in SUBJECTS);
      const operators = keys.filter((k) => k in OPERATORS);
      const issue = (message: string) => ctx.addIssue({ code: 'custom', message, input: rule });
      if (combinators.length + subjects.length !== 1)
        return issue(
          combinators.length + subjects.length === 0
            ? `needs one of all, any, not or a condition (${Object.keys(SUBJECTS).join(', ')})`
            : `has ${[...combinators, ...subjects].join(' and ')}: one rule says one thing; combine rules with all/any`,
        );
      if (combinators.length) {
        if (operators.length || 'withinDays' in rule)
          issue(`${combinators[0]} takes rules only, not ${[...operators, 'withinDays'].filter((k) => k in rule).join(', ')}`);
        return;
      }
      const subject = subjects[0]!;
      if (operators.length > 1) return issue(`has ${operators.join(' and ')}: one operator per condition; combine conditions with all`);
      if (!operators.length && !SHORTHAND.has(subject)) return issue(`"${subject}" needs an operator: one of ${Object.keys(OPERATORS).join(', ')}`);
      if ('withinDays' in rule && subject !== 'event') issue('withinDays applies to "event" conditions only');
    }),
  )
  .register(z.globalRegistry, { id: 'Rule', description: 'A segment rule: all/any/not over conditions.' });
