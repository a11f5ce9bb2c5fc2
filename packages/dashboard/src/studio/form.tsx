// The generic form: one renderer for every node of the config's JSON Schema (object, map, list, text, number,
// yes/no, choice, one-of), labelled and explained by the schema's own names and descriptions, with each problem of
// the last validation shown at its field. Hook-free: what it draws is a function of its props (tests render it
// without a DOM), and every edit goes through `ctx.set(path, value)`.
import type { ComponentChildren } from 'preact';
import { copyItem, move, removeItem } from './edit.js';
import { anyUnder, fieldId, type Path, type Placed, type Problem, problemsAt } from './paths.js';
import type { RuleLanguage } from './rule-language.js';
import { RuleField } from './rule-field.js';
import { controlOf, defaultOf, helpOf, type JsonSchema, labelOf, optionIndex, optionLabel, type RootSchema } from './schema.js';

export type FormContext = {
  root: RootSchema;
  lang: RuleLanguage;
  placed: Placed;
  set: (path: Path, value: unknown) => void;
  /** The draft's segment ids: what an audience can pick and a `segment` condition suggests. */
  segmentIds: string[];
};

export type FieldProps = { ctx: FormContext; path: Path; schema: JsonSchema; value: unknown; label: string; required?: boolean };

/** A field's problems, as the API worded them; `id` is what the control's aria-describedby names. */
export function Problems({ id, problems }: { id: string; problems: Problem[] }) {
  if (!problems.length) return null;
  return (
    <ul class="field-errors" id={id}>
      {problems.map((p, i) => (
        <li key={i} class={p.severity === 'warning' ? 'warning' : 'error'}>
          {p.message}
          {p.found !== undefined && p.found !== 'nothing' && <span class="muted"> (found {p.found})</span>}
        </li>
      ))}
    </ul>
  );
}

/** What a control's aria-describedby lists: its help and its problems, where it has them. */
export const describedBy = (id: string, help: string | undefined, problems: Problem[]) =>
  [help && `${id}-help`, problems.length && `${id}-err`].filter(Boolean).join(' ') || undefined;

/** A labelled single control (text, number, checkbox, select) with its help and problems. */
function Single({ id, label, help, problems, children, inline }: { id: string; label: string; help?: string; problems: Problem[]; children: ComponentChildren; inline?: boolean }) {
  return (
    <div class={`field${inline ? ' inline' : ''}${problems.length ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {help && (
        <small class="help" id={`${id}-help`}>
          {help}
        </small>
      )}
      <Problems id={`${id}-err`} problems={problems} />
    </div>
  );
}

/** A group (object, list, map): a fieldset whose legend is the label; the summary's links focus it. */
function Group({ id, label, help, problems, children, actions }: { id: string; label: string; help?: string; problems: Problem[]; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <fieldset class={`group${problems.length ? ' invalid' : ''}`} id={id} tabIndex={-1} aria-describedby={describedBy(id, help, problems)}>
      <legend>
        {label} {actions}
      </legend>
      {help && (
        <small class="help" id={`${id}-help`}>
          {help}
        </small>
      )}
      <Problems id={`${id}-err`} problems={problems} />
      {children}
    </fieldset>
  );
}

/** "Variants" → "variant": what one item of a list is called on its buttons. */
const singular = (label: string) => label.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');

/** How an item of a list is named: its id, name or title when it has one, else its place. */
export function itemName(item: unknown, i: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const k of ['id', 'name', 'title', 'label', 'text']) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  }
  return typeof item === 'string' || typeof item === 'number' ? String(item) || `#${i + 1}` : `#${i + 1}`;
}

export function Field(p: FieldProps) {
  const { ctx, path, schema, value, label } = p;
  const c = controlOf(ctx.root, schema);
  const id = fieldId(path);
  const help = helpOf(ctx.root, schema);
  const set = (v: unknown) => ctx.set(path, v);
  switch (c.kind) {
    case 'rule':
      return <RuleField {...p} />;
    case 'object': {
      const keys = c.fields.map((f) => f.key);
      return (
        <Group id={id} label={label} help={help} problems={problemsAt(ctx.placed, path, keys)}>
          {c.fields
            .filter((f) => !f.key.startsWith('$'))
            .map((f) => {
              const v = (value as Record<string, unknown> | undefined)?.[f.key];
              const fc = controlOf(ctx.root, f.schema).kind;
              const flabel = labelOf(f.key, f.schema);
              // An optional group that is not there is a button, so the form shows what can be added.
              if (v === undefined && !f.required && (fc === 'object' || fc === 'record'))
                return (
                  <div class="field" key={f.key}>
                    <button type="button" id={fieldId([...path, f.key])} onClick={() => ctx.set([...path, f.key], defaultOf(ctx.root, f.schema))}>
                      Add {flabel.toLowerCase()}
                    </button>
                    <small class="help">{helpOf(ctx.root, f.schema)}</small>
                    <Problems id={`${fieldId([...path, f.key])}-err`} problems={problemsAt(ctx.placed, [...path, f.key], 'all')} />
                  </div>
                );
              const field = <Field key={f.key} ctx={ctx} path={[...path, f.key]} schema={f.schema} value={v} label={flabel} required={f.required} />;
              if (f.required || (fc !== 'object' && fc !== 'record') || v === undefined) return field;
              return (
                <div class="removable" key={f.key}>
                  {field}
                  <button type="button" class="link" onClick={() => ctx.set([...path, f.key], undefined)}>
                    Remove {flabel.toLowerCase()}
                  </button>
                </div>
              );
            })}
        </Group>
      );
    }
    case 'record': {
      const map = (value ?? {}) as Record<string, unknown>;
      const names = Object.keys(map);
      return (
        <Group id={id} label={label} help={help} problems={problemsAt(ctx.placed, path, names)}>
          {names.map((name) => (
            <details key={name} open={names.length <= 3 || anyUnder(ctx.placed, [...path, name])}>
              <summary>{name}</summary>
              <button type="button" class="link" onClick={() => set(Object.fromEntries(Object.entries(map).filter(([k]) => k !== name)))}>
                Remove {name}
              </button>
              <Field ctx={ctx} path={[...path, name]} schema={c.values} value={map[name]} label={name} required />
            </details>
          ))}
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const input = e.currentTarget.elements.namedItem('name') as HTMLInputElement;
              const name = input.value.trim();
              if (name && !(name in map)) set({ ...map, [name]: defaultOf(ctx.root, c.values) });
              input.value = '';
            }}
          >
            <label>
              New name <input name="name" pattern={c.keys?.pattern} />
            </label>
            <button>Add</button>
          </form>
        </Group>
      );
    }
    case 'array': {
      const list = Array.isArray(value) ? value : [];
      const what = singular(label);
      const itemKind = controlOf(ctx.root, c.items).kind;
      const nested = itemKind === 'object' || itemKind === 'record' || itemKind === 'rule' || itemKind === 'array';
      return (
        <Group id={id} label={label} help={help} problems={problemsAt(ctx.placed, path, list.map((_, i) => i))}>
          <ol class="items">
            {list.map((item, i) => {
              const name = itemName(item, i);
              const tools = (
                <span class="tools">
                  <button type="button" aria-label={`Move ${what} ${name} up`} disabled={i === 0} onClick={() => set(move(list, i, i - 1))}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move ${what} ${name} down`} disabled={i === list.length - 1} onClick={() => set(move(list, i, i + 1))}>
                    ↓
                  </button>
                  <button type="button" aria-label={`Copy ${what} ${name}`} onClick={() => set(copyItem(list, i))}>
                    Copy
                  </button>
                  <button type="button" aria-label={`Remove ${what} ${name}`} onClick={() => set(removeItem(list, i))}>
                    Remove
                  </button>
                </span>
              );
              const field = <Field ctx={ctx} path={[...path, i]} schema={c.items} value={item} label={nested ? `${labelOf(what)} ${name}` : `${labelOf(what)} ${i + 1}`} required />;
              return (
                <li key={i}>
                  {nested ? (
                    <details open={list.length <= 3 || anyUnder(ctx.placed, [...path, i])}>
                      <summary>
                        {name}
                        {anyUnder(ctx.placed, [...path, i]) && <span class="badge error"> has problems</span>}
                      </summary>
                      {tools}
                      {field}
                    </details>
                  ) : (
                    <div class="row">
                      {field}
                      {tools}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
          <button type="button" onClick={() => set([...list, defaultOf(ctx.root, c.items)])}>
            Add {what}
          </button>
        </Group>
      );
    }
    case 'union': {
      const at = optionIndex(ctx.root, c.options, value);
      const option = c.options[at]!;
      return (
        <div class="union">
          <Single id={`${id}-kind`} label={`${label}: kind`} problems={[]} inline>
            <select id={`${id}-kind`} value={String(at)} onChange={(e) => set(defaultOf(ctx.root, c.options[Number(e.currentTarget.value)]!))}>
              {c.options.map((o, i) => (
                <option key={i} value={String(i)}>
                  {optionLabel(ctx.root, o)}
                </option>
              ))}
            </select>
          </Single>
          <Field ctx={ctx} path={path} schema={{ ...option, description: option.description ?? help }} value={value} label={label} required={p.required} />
        </div>
      );
    }
    case 'enum': {
      const problems = problemsAt(ctx.placed, path);
      const at = c.options.findIndex((o) => o === value);
      return (
        <Single id={id} label={label} help={help} problems={problems}>
          <select id={id} aria-describedby={describedBy(id, help, problems)} aria-invalid={problems.length > 0} value={at < 0 ? '' : String(at)} onChange={(e) => set(e.currentTarget.value === '' ? undefined : c.options[Number(e.currentTarget.value)])}>
            {(!p.required || at < 0) && <option value="">{p.required ? '(choose)' : '(not set)'}</option>}
            {c.options.map((o, i) => (
              <option key={i} value={String(i)}>
                {String(o)}
              </option>
            ))}
          </select>
        </Single>
      );
    }
    case 'boolean': {
      const problems = problemsAt(ctx.placed, path);
      const fallback = schema.default ?? false;
      return (
        <Single id={id} label={label} help={help} problems={problems} inline>
          <input id={id} type="checkbox" aria-describedby={describedBy(id, help, problems)} aria-invalid={problems.length > 0} checked={typeof value === 'boolean' ? value : fallback === true} onChange={(e) => set(e.currentTarget.checked)} />
        </Single>
      );
    }
    case 'number': {
      const problems = problemsAt(ctx.placed, path);
      return (
        <Single id={id} label={label} help={help} problems={problems}>
          <input
            id={id}
            type="number"
            inputMode={c.integer ? 'numeric' : 'decimal'}
            step={c.integer ? 1 : 'any'}
            min={c.min}
            max={c.max}
            aria-describedby={describedBy(id, help, problems)}
            aria-invalid={problems.length > 0}
            value={typeof value === 'number' ? String(value) : ''}
            placeholder={schema.default === undefined ? undefined : String(schema.default)}
            onInput={(e) => {
              const raw = e.currentTarget.value;
              // Empty is "not set" (the default applies, or the validator says it is missing).
              if (raw === '') return set(undefined);
              const n = Number(raw);
              if (Number.isFinite(n)) set(n);
            }}
          />
        </Single>
      );
    }
    case 'string': {
      const problems = problemsAt(ctx.placed, path);
      const text = typeof value === 'string' ? value : '';
      const attrs = {
        id,
        'aria-describedby': describedBy(id, help, problems),
        'aria-invalid': problems.length > 0,
        value: text,
        placeholder: typeof schema.default === 'string' ? schema.default : undefined,
        // What was typed is kept as typed, an empty text included: whether it may be empty is the validator's word.
        onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => set(e.currentTarget.value),
      };
      const datalist = path[path.length - 1] === 'segment' && ctx.segmentIds.length ? `${id}-segments` : undefined;
      return (
        <Single id={id} label={label} help={help} problems={problems}>
          {text.length > 60 || text.includes('\n') ? <textarea rows={3} {...attrs} /> : <input type={c.format === 'uri' ? 'url' : 'text'} list={datalist} {...attrs} />}
          {datalist && (
            <datalist id={datalist}>
              {ctx.segmentIds.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </Single>
      );
    }
    default: {
      // What the schema does not describe precisely (a free-form value): edited as JSON, kept as typed until it parses.
      const problems = problemsAt(ctx.placed, path, 'all');
      return (
        <Single id={id} label={`${label} (JSON)`} help={help} problems={problems}>
          <textarea
            id={id}
            rows={3}
            aria-describedby={describedBy(id, help, problems)}
            value={value === undefined ? '' : JSON.stringify(value, null, 2)}
            onChange={(e) => {
              try {
                set(e.currentTarget.value.trim() ? JSON.parse(e.currentTarget.value) : undefined);
              } catch {
                /* not JSON yet: the field keeps the text, the config keeps the last good value */
              }
            }}
          />
        </Single>
      );
    }
  }
}
