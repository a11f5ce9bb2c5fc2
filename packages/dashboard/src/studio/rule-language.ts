// The rule language as the studio's rule builder offers it, read from the Rule definition of the config's JSON
// Schema (contract/rules.ts): combinators, subjects (what a condition looks at), operators (how it compares) and
// modifiers (withinDays). Read, not listed here, so an operator added to the contract is a new choice in the form.
import { type JsonSchema, resolve, RULE_DEFINITION, type RootSchema } from './schema.js';

export type RulePart = { key: string; schema: JsonSchema };
export type RuleLanguage = { combinators: RulePart[]; subjects: RulePart[]; operators: RulePart[]; modifiers: RulePart[] };
type Role = keyof RuleLanguage;

const isRule = (root: RootSchema, s: JsonSchema): boolean => {
  const r = resolve(root, s);
  return r.ref === RULE_DEFINITION || (r.schema.type === 'array' && !!r.schema.items && resolve(root, r.schema.items).ref === RULE_DEFINITION);
};

/**
 * Which role a key of the Rule object plays. An `x-attune-rule` annotation says it outright; without one the
 * schema's shapes do: a rule or list of rules combines, a non-empty, enumerated or patterned text is a subject
 * (contract/rules.ts SUBJECTS are all such texts), a bounded number qualifies a condition (withinDays), and the
 * rest — the values a fact is compared with — are operators.
 */
function roleOf(root: RootSchema, schema: JsonSchema): Role {
  const said = schema['x-attune-rule'];
  if (said === 'combinator' || said === 'subject' || said === 'operator' || said === 'modifier') return `${said}s` as Role;
  if (isRule(root, schema)) return 'combinators';
  const s = resolve(root, schema).schema;
  if (s.type === 'string' && (s.enum || (s.minLength ?? 0) >= 1 || s.pattern)) return 'subjects';
  if (s.type === 'number' && (s.exclusiveMinimum !== undefined || s.minimum !== undefined || s.maximum !== undefined)) return 'modifiers';
  return 'operators';
}

export function ruleLanguage(root: RootSchema): RuleLanguage {
  const def = (root.definitions ?? root.$defs)?.[RULE_DEFINITION];
  const lang: RuleLanguage = { combinators: [], subjects: [], operators: [], modifiers: [] };
  for (const [key, schema] of Object.entries(def?.properties ?? {})) lang[roleOf(root, schema)].push({ key, schema });
  return lang;
}

export type Rule = Record<string, unknown>;

/** What a rule is, for the builder's first choice: a combinator's name or 'condition'. */
export const ruleKind = (lang: RuleLanguage, rule: Rule): string => lang.combinators.find((c) => c.key in rule)?.key ?? 'condition';
export const subjectOf = (lang: RuleLanguage, rule: Rule) => lang.subjects.find((s) => s.key in rule);
export const operatorOf = (lang: RuleLanguage, rule: Rule) => lang.operators.find((o) => o.key in rule);

/** The same condition looking at another subject: the operator and modifiers stay, the subject's value restarts. */
export function withSubject(lang: RuleLanguage, rule: Rule, key: string, value: unknown): Rule {
  const out: Rule = {};
  for (const [k, v] of Object.entries(rule)) if (!lang.subjects.some((s) => s.key === k)) out[k] = v;
  return { [key]: value, ...out };
}

/** The same condition with another operator (or none: `key` undefined, the shorthand "is true / is a member"). */
export function withOperator(lang: RuleLanguage, rule: Rule, key: string | undefined, value: unknown): Rule {
  const out: Rule = {};
  for (const [k, v] of Object.entries(rule)) if (!lang.operators.some((o) => o.key === k)) out[k] = v;
  return key === undefined ? out : { ...out, [key]: value };
}

/**
 * The segments an audience picks, when it is only that: `{ segment }` or `any` of `{ segment }`s. Anything else
 * (a condition, `all`, `not`) is a rule the builder shows; null then.
 */
export function pickedSegments(rule: unknown): string[] | null {
  if (!rule || typeof rule !== 'object') return null;
  const r = rule as Rule;
  const keys = Object.keys(r);
  if (keys.length === 1 && typeof r.segment === 'string') return [r.segment];
  if (keys.length === 1 && Array.isArray(r.any) && r.any.every((x) => x && typeof x === 'object' && Object.keys(x).length === 1 && typeof (x as Rule).segment === 'string'))
    return r.any.map((x) => (x as { segment: string }).segment);
  return null;
}

/** The audience for picked segments: one segment alone, several as `any`; none is everyone (no audience). */
export const audienceOf = (segments: string[]): Rule | undefined =>
  segments.length === 0 ? undefined : segments.length === 1 ? { segment: segments[0] } : { any: segments.map((segment) => ({ segment })) };
