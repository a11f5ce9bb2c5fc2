import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { controlOf, defaultOf, fits, type JsonSchema, labelOf, optionIndex, resolve, type RootSchema } from './schema.js';
import { pickedSegments, audienceOf, ruleLanguage, ruleKind, withOperator, withSubject } from './rule-language.js';

const root = JSON.parse(readFileSync(new URL('../../../edge/attune.config.schema.json', import.meta.url), 'utf8')) as RootSchema;
const config = resolve(root, root).schema;
const items = (key: string) => resolve(root, config.properties![key]!).schema.items!;

describe('controlOf: what a schema node is drawn as', () => {
  it('reads every kind from a fragment', () => {
    const r: RootSchema = { definitions: { Rule: { type: 'object', properties: {} } } };
    expect(controlOf(r, { type: 'string' })).toEqual({ kind: 'string' });
    expect(controlOf(r, { type: 'string', format: 'uri' })).toEqual({ kind: 'string', format: 'uri' });
    expect(controlOf(r, { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER })).toEqual({ kind: 'number', integer: true, min: 1 });
    expect(controlOf(r, { type: 'number', maximum: 50 })).toEqual({ kind: 'number', integer: false, max: 50 });
    expect(controlOf(r, { type: 'boolean' })).toEqual({ kind: 'boolean' });
    expect(controlOf(r, { type: 'string', enum: ['a', 'b'] })).toEqual({ kind: 'enum', options: ['a', 'b'] });
    expect(controlOf(r, { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }).kind).toBe('union');
    expect(controlOf(r, { oneOf: [{ type: 'string' }, { type: 'number' }] }).kind).toBe('union');
    expect(controlOf(r, { type: ['string', 'number'] })).toEqual({ kind: 'union', options: [{ type: 'string' }, { type: 'number' }] });
    expect(controlOf(r, { type: 'array', items: { type: 'string' } })).toEqual({ kind: 'array', items: { type: 'string' } });
    expect(controlOf(r, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })).toEqual({ kind: 'object', fields: [{ key: 'a', schema: { type: 'string' }, required: true }] });
    expect(controlOf(r, { type: 'object', additionalProperties: { type: 'number' } })).toEqual({ kind: 'record', values: { type: 'number' } });
    expect(controlOf(r, { $ref: '#/definitions/Rule' })).toEqual({ kind: 'rule' });
    expect(controlOf(r, { allOf: [{ $ref: '#/definitions/Rule' }], description: 'x' })).toEqual({ kind: 'rule' });
    expect(controlOf(r, {})).toEqual({ kind: 'json' });
  });

  it('draws the real config schema: slots → variants → audience, priority, schedule, content', () => {
    const slot = controlOf(root, items('slots'));
    expect(slot.kind === 'object' && slot.fields.map((f) => f.key)).toEqual(['id', 'description', 'default', 'variants']);
    const variant = slot.kind === 'object' ? resolve(root, slot.fields[3]!.schema).schema.items! : {};
    const c = controlOf(root, variant);
    expect(c.kind).toBe('object');
    const kinds = c.kind === 'object' ? Object.fromEntries(c.fields.map((f) => [f.key, controlOf(root, f.schema).kind])) : {};
    expect(kinds).toEqual({ id: 'string', description: 'string', audience: 'rule', priority: 'number', schedule: 'object', content: 'object' });
    expect(controlOf(root, config.properties!.sites!).kind).toBe('record');
  });

  it('labels from titles or keys; defaults from the schema', () => {
    expect(labelOf('allowedOrigins')).toBe('Allowed origins');
    expect(labelOf('x', { title: 'Given' })).toBe('Given');
    expect(labelOf(2)).toBe('#3');
    const slot = resolve(root, items('slots')).schema;
    const variant = defaultOf(root, resolve(root, slot.properties!.variants!).schema.items!);
    expect(variant).toEqual({ id: '', content: {} });
    expect(defaultOf(root, items('segments'))).toEqual({ id: '', rule: { segment: '' } });
  });

  it('tells which alternative of a union a value is', () => {
    const after: JsonSchema[] = [
      { type: 'object', properties: { minutes: { type: 'integer' } }, required: ['minutes'] },
      { type: 'object', properties: { days: { type: 'integer' } }, required: ['days'] },
    ];
    expect(optionIndex(root, after, { days: 3 })).toBe(1);
    expect(optionIndex(root, [{ type: 'string' }, { type: 'array' }], ['a'])).toBe(1);
    expect(fits(root, { type: 'number' }, 3)).toBe(true);
    expect(fits(root, { type: 'integer' }, 3.5)).toBe(false);
  });
});

describe('the rule language, read from the schema', () => {
  const lang = ruleLanguage(root);
  it('finds every combinator, subject, operator and modifier of contract/rules.ts', () => {
    expect(lang.combinators.map((x) => x.key)).toEqual(['all', 'any', 'not']);
    expect(lang.subjects.map((x) => x.key)).toEqual(['trait', 'answer', 'event', 'daysSince', 'hoursSince', 'commerce', 'affinity', 'topAffinity', 'consent', 'visitor', 'segment', 'context']);
    expect(lang.operators.map((x) => x.key)).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'startsWith', 'exists']);
    expect(lang.modifiers.map((x) => x.key)).toEqual(['withinDays']);
  });
  it('an x-attune-rule annotation overrides the shapes', () => {
    const r: RootSchema = { definitions: { Rule: { type: 'object', properties: { odd: { type: 'string', minLength: 1, 'x-attune-rule': 'operator' } } } } };
    expect(ruleLanguage(r).operators.map((x) => x.key)).toEqual(['odd']);
  });
  it('edits a condition: subject and operator swap, the rest stays', () => {
    expect(ruleKind(lang, { any: [] })).toBe('any');
    expect(ruleKind(lang, { trait: 'x', eq: 1 })).toBe('condition');
    expect(withSubject(lang, { trait: 'skin', eq: 'dry' }, 'answer', '')).toEqual({ answer: '', eq: 'dry' });
    expect(withOperator(lang, { event: 'Order Completed', gte: 2, withinDays: 30 }, 'lt', 0)).toEqual({ event: 'Order Completed', withinDays: 30, lt: 0 });
    expect(withOperator(lang, { segment: 'a', eq: true }, undefined, undefined)).toEqual({ segment: 'a' });
  });
  it('picked segments ↔ audience', () => {
    expect(pickedSegments({ segment: 'dry-skin' })).toEqual(['dry-skin']);
    expect(pickedSegments({ any: [{ segment: 'a' }, { segment: 'b' }] })).toEqual(['a', 'b']);
    expect(pickedSegments({ all: [{ segment: 'a' }] })).toBeNull();
    expect(pickedSegments({ segment: 'a', eq: false })).toBeNull();
    expect(audienceOf([])).toBeUndefined();
    expect(audienceOf(['a'])).toEqual({ segment: 'a' });
    expect(audienceOf(['a', 'b'])).toEqual({ any: [{ segment: 'a' }, { segment: 'b' }] });
  });
});
