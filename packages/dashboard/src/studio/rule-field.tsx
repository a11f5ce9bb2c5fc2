// An audience or segment rule as form controls: who (everyone, picked segments, or a rule) and, for a rule, the
// rule language's every combinator, subject, operator and modifier as choices read from the schema
// (rule-language.ts). Hook-free like the rest of the form.
import { type FieldProps, Field, Problems, describedBy, type FormContext } from './form.js';
import { fieldId, type Path, problemsAt } from './paths.js';
import { audienceOf, operatorOf, pickedSegments, type Rule, ruleKind, subjectOf, withOperator, withSubject } from './rule-language.js';
import { defaultOf, helpOf, labelOf } from './schema.js';

/** An optional rule (an audience) offers everyone / segments / a rule; a required one (a segment's) is a rule. */
export function RuleField({ ctx, path, value, label, required, schema }: FieldProps) {
  const id = fieldId(path);
  const help = helpOf(ctx.root, schema);
  if (required) return <RuleBuilder ctx={ctx} path={path} rule={(value ?? {}) as Rule} label={label} help={help} />;
  const picked = pickedSegments(value);
  const mode = value === undefined ? 'everyone' : picked ? 'segments' : 'rule';
  const choose = (m: string) =>
    ctx.set(
      path,
      m === 'everyone'
        ? undefined
        : m === 'segments'
          ? audienceOf(ctx.segmentIds.slice(0, 1))
          : // A picked segment list as a rule it already is, wrapped so the builder shows it and keeps it.
            value === undefined
            ? defaultCondition(ctx)
            : { all: [value] },
    );
  const problems = problemsAt(ctx.placed, path, mode === 'rule' ? [] : 'all');
  return (
    <fieldset class="group audience" id={id} tabIndex={-1} aria-describedby={describedBy(id, help, problems)}>
      <legend>{label}</legend>
      {help && (
        <small class="help" id={`${id}-help`}>
          {help}
        </small>
      )}
      <div class="inline" role="radiogroup" aria-label={`${label}: who`}>
        {(['everyone', 'segments', 'rule'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => choose(m)} /> {m === 'everyone' ? 'Everyone' : m === 'segments' ? 'Segments' : 'Rule'}
          </label>
        ))}
      </div>
      {mode === 'rule' || <Problems id={`${id}-err`} problems={problems} />}
      {mode === 'segments' && (
        <fieldset class="segments">
          <legend>Members of any of</legend>
          {ctx.segmentIds.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={picked!.includes(s)}
                onChange={(e) => ctx.set(path, audienceOf(e.currentTarget.checked ? [...picked!.filter((x) => x), s] : picked!.filter((x) => x && x !== s)))}
              />{' '}
              {s}
            </label>
          ))}
        </fieldset>
      )}
      {mode === 'rule' && <RuleBuilder ctx={ctx} path={path} rule={value as Rule} label="Rule" />}
    </fieldset>
  );
}

const defaultCondition = (ctx: FormContext): Rule => {
  const s = ctx.lang.subjects.find((x) => x.key === 'segment') ?? ctx.lang.subjects[0];
  return s ? { [s.key]: s.key === 'segment' ? (ctx.segmentIds[0] ?? '') : defaultOf(ctx.root, s.schema) } : {};
};

function RuleBuilder({ ctx, path, rule, label, help }: { ctx: FormContext; path: Path; rule: Rule; label: string; help?: string }) {
  const { lang } = ctx;
  const id = fieldId(path);
  const kind = ruleKind(lang, rule);
  const subject = subjectOf(lang, rule);
  const operator = operatorOf(lang, rule);
  const shown = kind === 'condition' ? [subject?.key, operator?.key, ...lang.modifiers.map((m) => m.key)].filter((k): k is string => !!k) : [kind];
  const problems = problemsAt(ctx.placed, path, shown);
  const set = (r: Rule) => ctx.set(path, r);
  const children = kind === 'not' ? [rule.not as Rule] : kind === 'condition' ? [] : ((rule[kind] as Rule[] | undefined) ?? []);
  const changeKind = (k: string) => {
    const first: Rule = kind === 'condition' ? rule : (children[0] ?? defaultCondition(ctx));
    set(k === 'condition' ? first : k === 'not' ? { not: first } : { [k]: kind === 'condition' || kind === 'not' ? [first] : children });
  };
  return (
    <div class={`rule-builder${problems.length ? ' invalid' : ''}`} id={`${id}-rule`}>
      <div class="field inline">
        <label for={`${id}-kind`}>{label}</label>
        <select id={`${id}-kind`} value={kind} aria-describedby={describedBy(id, help, problems)} onChange={(e) => changeKind(e.currentTarget.value)}>
          <option value="condition">a condition</option>
          {lang.combinators.map((c) => (
            <option key={c.key} value={c.key}>
              {c.key}: {helpOf(ctx.root, c.schema)}
            </option>
          ))}
        </select>
      </div>
      {help && (
        <small class="help" id={`${id}-help`}>
          {help}
        </small>
      )}
      <Problems id={`${id}-err`} problems={problems} />
      {kind === 'condition' ? (
        <div class="condition">
          <div class="field inline">
            <label for={`${id}-subject`}>Looks at</label>
            <select id={`${id}-subject`} value={subject?.key ?? ''} onChange={(e) => set(withSubject(lang, rule, e.currentTarget.value, defaultOf(ctx.root, lang.subjects.find((s) => s.key === e.currentTarget.value)!.schema)))}>
              {!subject && <option value="">(choose)</option>}
              {lang.subjects.map((s) => (
                <option key={s.key} value={s.key}>
                  {labelOf(s.key)}
                </option>
              ))}
            </select>
          </div>
          {subject && <Field ctx={ctx} path={[...path, subject.key]} schema={subject.schema} value={rule[subject.key]} label={labelOf(subject.key)} required />}
          <div class="field inline">
            <label for={`${id}-operator`}>Compared by</label>
            <select
              id={`${id}-operator`}
              value={operator?.key ?? ''}
              onChange={(e) => {
                const o = lang.operators.find((x) => x.key === e.currentTarget.value);
                set(withOperator(lang, rule, o?.key, o && defaultOf(ctx.root, o.schema)));
              }}
            >
              <option value="">(none: is true / is a member)</option>
              {lang.operators.map((o) => (
                <option key={o.key} value={o.key}>
                  {o.key}: {helpOf(ctx.root, o.schema)}
                </option>
              ))}
            </select>
          </div>
          {operator && <Field ctx={ctx} path={[...path, operator.key]} schema={operator.schema} value={rule[operator.key]} label={`Value (${operator.key})`} required />}
          {lang.modifiers.map((m) => (
            <Field key={m.key} ctx={ctx} path={[...path, m.key]} schema={m.schema} value={rule[m.key]} label={labelOf(m.key)} />
          ))}
        </div>
      ) : (
        <ol class="rules">
          {children.map((child, i) => (
            <li key={i}>
              <RuleBuilder ctx={ctx} path={kind === 'not' ? [...path, 'not'] : [...path, kind, i]} rule={child ?? {}} label={kind === 'not' ? 'Not' : `Rule ${i + 1}`} />
              {kind !== 'not' && (
                <button type="button" aria-label={`Remove rule ${i + 1}`} onClick={() => set({ [kind]: children.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              )}
            </li>
          ))}
          {kind !== 'not' && (
            <li>
              <button type="button" onClick={() => set({ [kind]: [...children, defaultCondition(ctx)] })}>
                Add a rule to {kind}
              </button>
            </li>
          )}
        </ol>
      )}
    </div>
  );
}
