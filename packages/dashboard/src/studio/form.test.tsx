// The schema-driven form: a schema fragment in, the controls out (labelled, described, with problems at their field).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Field, type FormContext } from './form.js';
import { type Path, place, type Problem } from './paths.js';
import { ruleLanguage } from './rule-language.js';
import { resolve, type JsonSchema, type RootSchema } from './schema.js';
import { controls, markup } from './test-render.js';

const real = JSON.parse(readFileSync(new URL('../../../edge/attune.config.schema.json', import.meta.url), 'utf8')) as RootSchema;
const ctxOf = (root: RootSchema, problems: Problem[] = [], edits: [Path, unknown][] = []): FormContext => ({
  root,
  lang: ruleLanguage(root),
  placed: place(problems),
  set: (p, v) => edits.push([p, v]),
  segmentIds: ['dry-skin', 'oily-skin'],
});
const draw = (schema: JsonSchema, value: unknown, opts: { problems?: Problem[]; root?: RootSchema; path?: Path; edits?: [Path, unknown][] } = {}) =>
  markup(<Field ctx={ctxOf(opts.root ?? { definitions: {} }, opts.problems, opts.edits)} path={opts.path ?? ['x']} schema={schema} value={value} label="X" required />);

describe('the generic renderer: a schema fragment → its controls', () => {
  it('an object of text, number, yes/no and choice: one labelled control each, help from descriptions', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['title'],
      properties: {
        title: { type: 'string', description: 'The heading.' },
        priority: { type: 'integer', minimum: 0 },
        live: { type: 'boolean', default: true },
        status: { type: 'string', enum: ['draft', 'running'] },
        link: { type: 'string', format: 'uri' },
      },
    };
    const html = draw(schema, { title: 'Hello', status: 'running' });
    const c = controls(html);
    expect(c.map((x) => [x.tag, x.type, x.label])).toEqual([
      ['input', 'text', 'Title'],
      ['input', 'number', 'Priority'],
      ['input', 'checkbox', 'Live'],
      ['select', undefined, 'Status'],
      ['input', 'url', 'Link'],
    ]);
    expect(html).toContain('<fieldset id="f-x"><legend>X </legend>');
    expect(html).toContain('id="f-x.title-help">The heading.</small>');
    expect(c[0]!.attrs).toContain('value="Hello"');
    expect(c[0]!.attrs).toContain('aria-describedby="f-x.title-help"');
    expect(c[1]!.attrs).toMatch(/step="1".*min="0"/);
    expect(c[2]!.attrs).toContain('checked="true"'); // the schema's default shows when the key is left out
    expect(html).toContain('<option value="">(not set)</option>');
    expect(c[3]!.attrs).toContain('value="1"');
  });

  it('a list: each item with move, copy and remove (named after the item), and an add button', () => {
    const html = draw({ type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } }, [{ id: 'a' }, { id: 'b' }], { path: ['variants'] });
    const labels = controls(html).map((x) => x.label);
    expect(labels).toEqual(expect.arrayContaining(['Move x a up', 'Move x a down', 'Copy x a', 'Remove x a', 'Copy x b', 'Add x']));
    expect(controls(html).find((x) => x.label === 'Move x a up')!.attrs).toContain('disabled');
    expect(html).toContain('<summary>a</summary>');
  });

  it('edits go out as (path, value): typing, adding, reordering', () => {
    const edits: [Path, unknown][] = [];
    const tree = <Field ctx={ctxOf({ definitions: {} }, [], edits)} path={['list']} schema={{ type: 'array', items: { type: 'string' } }} value={['a', 'b']} label="Tags" required />;
    const buttons: { props: Record<string, unknown> }[] = [];
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const v = n as { type: unknown; props: Record<string, unknown> };
      if (typeof v.type === 'function') return walk((v.type as (p: unknown) => unknown)(v.props));
      if (v.type === 'button' || v.type === 'input') buttons.push(v);
      walk(v.props.children);
    };
    walk(tree);
    (buttons.find((b) => b.props['aria-label'] === 'Move tag b up')!.props.onClick as () => void)();
    (buttons.find((b) => b.props.children === 'Add tag' || (Array.isArray(b.props.children) && b.props.children.join('') === 'Add tag'))!.props.onClick as () => void)();
    (buttons.find((b) => b.props.id === 'f-list[0]')!.props.onInput as (e: unknown) => void)({ currentTarget: { value: 'z' } });
    expect(edits).toEqual([
      [['list'], ['b', 'a']],
      [['list'], ['a', 'b', '']],
      [['list', 0], 'z'],
    ]);
  });

  it('a union offers its alternatives and draws the one the value fits', () => {
    const html = draw({ anyOf: [{ type: 'object', properties: { minutes: { type: 'integer' } }, required: ['minutes'] }, { type: 'object', properties: { days: { type: 'integer' } }, required: ['days'] }] }, { days: 3 });
    expect(html).toContain('<option value="0">minutes</option><option value="1">days</option>');
    expect(controls(html).find((x) => x.label === 'X: kind')!.attrs).toContain('value="1"');
    expect(controls(html).find((x) => x.label === 'Days')!.attrs).toContain('value="3"');
  });

  it('a map by name: one entry per key, a name field to add one', () => {
    const html = draw({ type: 'object', additionalProperties: { type: 'object', properties: { writeKey: { type: 'string' } } } }, { demo: { writeKey: 'k' } });
    expect(html).toContain('<summary>demo</summary>');
    expect(controls(html).map((x) => x.label)).toEqual(['Remove demo', 'Write key', undefined, 'Add']);
    expect(html).toContain('New name <input name="name"');
  });

  it('draws a variant of the real schema: content fields, audience, priority, schedule', () => {
    const slot = resolve(real, resolve(real, real).schema.properties!.slots!).schema.items!;
    const variant = resolve(real, resolve(real, slot).schema.properties!.variants!).schema.items!;
    const html = markup(<Field ctx={ctxOf(real)} path={['slots', 0, 'variants', 1]} schema={variant} value={{ id: 'hero-dry', audience: { segment: 'dry-skin' }, priority: 30, content: { title: 'Dry' } }} label="Variant" required />);
    const labels = controls(html).map((x) => x.label);
    for (const l of ['Id', 'Description', 'Priority', 'Title', 'Text', 'Image', 'Href', 'Unsafe html']) expect(labels).toContain(l);
    expect(labels).toContain('Add schedule');
    expect(labels).toContain('Add cta');
    expect(html).toMatch(/<input type="radio" name="f-slots\[0\]\.variants\[1\]\.audience-mode" value="segments" checked="true">/);
    expect(html).toMatch(/<input type="checkbox" checked="true"><\/input> dry-skin/);
  });

  it('the rule builder offers every operator of the schema as a control', () => {
    const segment = resolve(real, resolve(real, real).schema.properties!.segments!).schema.items!;
    const html = markup(<Field ctx={ctxOf(real)} path={['segments', 0]} schema={segment} value={{ id: 's', rule: { event: 'Order Completed', gte: 2, withinDays: 30 } }} label="Segment" required />);
    const operator = /<select id="f-segments\[0\]\.rule-operator"[^>]*>(.*?)<\/select>/.exec(html)![1]!;
    expect([...operator.matchAll(/value="(\w*)"/g)].map((m) => m[1])).toEqual(['', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'startsWith', 'exists']);
    expect(html).toMatch(/<select id="f-segments\[0\]\.rule-operator" value="gte">/);
    const c = controls(html);
    expect(c.find((x) => x.label === 'Value (gte)')!.attrs).toContain('value="2"');
    expect(c.find((x) => x.label === 'Within days')!.attrs).toContain('value="30"');
    expect(c.find((x) => x.label === 'Looks at')!.attrs).toContain('value="event"');
  });
});

describe('problems at their field, with the API\'s message', () => {
  const schema: JsonSchema = { type: 'object', properties: { title: { type: 'string' }, text: { type: 'string' } } };
  it('the field at the path is marked invalid and described by the message; its neighbours are not', () => {
    const html = draw(schema, { title: '' }, { path: ['slots', 0, 'default'], problems: [{ path: 'slots[0].default.title', message: 'is empty: a title is needed', found: '""', severity: 'error' }] });
    const c = controls(html);
    const title = c.find((x) => x.label === 'Title')!;
    expect(title.attrs).toContain('aria-invalid="true"');
    expect(title.attrs).toContain('aria-describedby="f-slots[0].default.title-err"');
    expect(html).toContain('<ul id="f-slots[0].default.title-err"><li>is empty: a title is needed<span> (found "")</span></li></ul>');
    expect(c.find((x) => x.label === 'Text')!.attrs).not.toContain('aria-invalid');
  });
  it('a problem below no drawn field shows at the group', () => {
    const html = draw(schema, {}, { path: ['c'], problems: [{ path: 'c.colour', message: 'unknown key "colour"' }] });
    expect(html).toContain('<fieldset id="f-c" aria-describedby="f-c-err">');
    expect(html).toContain('<li>unknown key "colour"</li>');
  });
});
