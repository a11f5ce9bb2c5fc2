// Reads the config's JSON Schema (GET /v1/config/schema, generated from the zod contract) into the controls the
// studio draws. Pure: the form renderer asks `controlOf` what a schema node is, so a field added to the contract
// appears in the studio without new form code.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  [extension: `x-${string}`]: unknown;
};
/** The whole document: the config's schema and its named definitions. */
export type RootSchema = JsonSchema & { definitions?: Record<string, JsonSchema>; $defs?: Record<string, JsonSchema> };

/** What to draw for a schema node. */
export type Control =
  | { kind: 'object'; fields: { key: string; schema: JsonSchema; required: boolean }[] }
  | { kind: 'record'; values: JsonSchema; keys?: JsonSchema }
  | { kind: 'array'; items: JsonSchema }
  | { kind: 'enum'; options: unknown[] }
  | { kind: 'string'; format?: string }
  | { kind: 'number'; integer: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'union'; options: JsonSchema[] }
  | { kind: 'rule' }
  | { kind: 'json' };

/** The definition the studio draws with the rule builder instead of the generic form (contract/rules.ts meta id). */
export const RULE_DEFINITION = 'Rule';

const refName = (ref: string) => /^#\/(?:definitions|\$defs)\/(.+)$/.exec(ref)?.[1];

/**
 * A node with its `$ref` (and zod's `allOf: [{ $ref }]` wrapper) followed; the node's own title, description and
 * default win over the target's, as they describe this use of it. `ref`: the definition's name, if it was one.
 */
export function resolve(root: RootSchema, node: JsonSchema): { schema: JsonSchema; ref?: string } {
  let schema = node;
  let ref: string | undefined;
  for (let hops = 0; hops < 20; hops++) {
    const target = schema.$ref ?? (schema.allOf?.length === 1 && schema.allOf[0]!.$ref) ?? undefined;
    if (!target) break;
    const name = refName(target);
    const def = name === undefined ? undefined : (root.definitions ?? root.$defs)?.[name];
    if (!def) break;
    const { $ref: _r, allOf: _a, ...own } = schema;
    // A definition named by a meta id (Rule, Content…) is what the form keys its special controls on;
    // zod's generated names (__schema0) are only indirections.
    if (!name!.startsWith('__')) ref = name;
    schema = { ...def, ...own };
  }
  return ref === undefined ? { schema } : { schema, ref };
}

const TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'] as const;

export function controlOf(root: RootSchema, node: JsonSchema): Control {
  const { schema, ref } = resolve(root, node);
  if (ref === RULE_DEFINITION) return { kind: 'rule' };
  if (schema.enum) return { kind: 'enum', options: schema.enum };
  if (schema.const !== undefined) return { kind: 'enum', options: [schema.const] };
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return { kind: 'union', options: alternatives };
  if (Array.isArray(schema.type)) {
    const { type, ...rest } = schema;
    return { kind: 'union', options: type.map((t) => ({ ...rest, type: t })) };
  }
  switch (schema.type) {
    case 'object': {
      const fields = Object.entries(schema.properties ?? {}).map(([key, s]) => ({ key, schema: s, required: schema.required?.includes(key) ?? false }));
      // A map by name (sites, strategies): no fixed properties, every value of one schema.
      if (!fields.length && typeof schema.additionalProperties === 'object')
        return schema.propertyNames ? { kind: 'record', values: schema.additionalProperties, keys: schema.propertyNames } : { kind: 'record', values: schema.additionalProperties };
      return { kind: 'object', fields };
    }
    case 'array':
      return schema.items ? { kind: 'array', items: schema.items } : { kind: 'json' };
    case 'string': {
      return schema.format ? { kind: 'string', format: schema.format } : { kind: 'string' };
    }
    case 'number':
    case 'integer': {
      const c: Control = { kind: 'number', integer: schema.type === 'integer' };
      const min = schema.minimum ?? schema.exclusiveMinimum;
      // zod writes Number.MAX_SAFE_INTEGER for an int with no upper bound: no bound worth showing.
      return { ...c, ...(min !== undefined && { min }), ...(schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER && { max: schema.maximum }) };
    }
    case 'boolean':
      return { kind: 'boolean' };
  }
  return { kind: 'json' };
}

/** "allowedOrigins" → "Allowed origins", "cta" → "Cta"; a schema's title wins. */
export function labelOf(key: string | number, schema?: JsonSchema): string {
  if (schema?.title) return schema.title;
  if (typeof key === 'number') return `#${key + 1}`;
  const words = key.replace(/^\$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The help shown under a control: the schema's description of this field (or of its definition). */
export const helpOf = (root: RootSchema, node: JsonSchema): string | undefined => node.description ?? resolve(root, node).schema.description;

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** A new value for a node: what an added array item or a newly set optional field starts as. */
export function defaultOf(root: RootSchema, node: JsonSchema): unknown {
  const { schema } = resolve(root, node);
  if (schema.default !== undefined) return clone(schema.default);
  const c = controlOf(root, node);
  switch (c.kind) {
    case 'rule':
      return { segment: '' };
    case 'enum':
      return clone(c.options[0]);
    case 'union':
      return defaultOf(root, c.options[0]!);
    case 'object':
      return Object.fromEntries(c.fields.filter((f) => f.required).map((f) => [f.key, defaultOf(root, f.schema)]));
    case 'record':
      return {};
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
      return c.min ?? 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function typeOf(v: unknown): (typeof TYPES)[number] | 'undefined' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return t === 'string' || t === 'boolean' || t === 'object' ? t : 'undefined';
}

/** Whether `value` has the shape of one alternative of a union: its type, and an object's required keys. */
export function fits(root: RootSchema, node: JsonSchema, value: unknown): boolean {
  const { schema } = resolve(root, node);
  if (schema.enum) return schema.enum.some((e) => e === value);
  if (schema.const !== undefined) return schema.const === value;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.some((a) => fits(root, a, value));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const t = typeOf(value);
  if (types.length && !types.some((x) => x === t || (x === 'number' && t === 'integer'))) return false;
  if (t === 'object' && schema.required) return schema.required.every((k) => k in (value as object));
  return true;
}

/** Which alternative of a union a value is drawn with: the first it fits, else the first. */
export const optionIndex = (root: RootSchema, options: JsonSchema[], value: unknown) => Math.max(0, options.findIndex((o) => fits(root, o, value)));

/** A short name for an alternative in the union's picker: its title, its required keys, its type, or its values. */
export function optionLabel(root: RootSchema, node: JsonSchema): string {
  const { schema } = resolve(root, node);
  if (schema.title) return schema.title;
  if (schema.enum) return schema.enum.map(String).join(' / ');
  if (schema.type === 'object' && schema.required?.length) return schema.required.join(', ');
  if (schema.type === 'array') return `list of ${optionLabel(root, schema.items ?? {})}`;
  if (schema.type === 'integer') return 'whole number';
  return String(schema.type ?? 'value');
}
