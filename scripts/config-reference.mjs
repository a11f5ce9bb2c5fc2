// Writes docs/config-reference.md from the config's JSON Schema (itself generated from the zod schema in
// packages/edge/src/contract), so the reference can never drift from what `npx attune validate` checks.
//   node scripts/config-reference.mjs          write it
//   node scripts/config-reference.mjs --check  exit 1 when the committed file is stale (a test runs this)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA = `${root}packages/edge/attune.config.schema.json`;
export const OUT = `${root}docs/config-reference.md`;

const ID_PATTERN = '^[A-Za-z0-9][\\w.-]{0,79}$';
const FORMATS = { 'date-time': 'ISO 8601 date-time, e.g. `2026-12-01T00:00:00Z`', uri: 'a URL' };
const anchor = (name) => name.toLowerCase();
const refName = (s) => (s?.$ref ? s.$ref.split('/').pop() : s?.allOf?.length === 1 && s.allOf[0].$ref ? s.allOf[0].$ref.split('/').pop() : null);
const code = (v) => `\`${JSON.stringify(v)}\``;
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A short human type: `string`, `integer 1–3650`, `Rule[]`, `"a" \| "b"`. */
function typeOf(s) {
  const ref = refName(s);
  if (ref) return `[${ref}](#${anchor(ref)})`;
  if (s.enum) return s.enum.map(code).join(' \\| ');
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(' \\| ');
  if (s.type === 'array') {
    const item = s.items ? typeOf(s.items) : 'any';
    return item.includes(' \\| ') ? `(${item})[]` : `${item}[]`;
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties)
    return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function constraints(s) {
  const out = [];
  const bound = (n) => (n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  const [min, max] = [bound(s.minimum), bound(s.maximum)];
  if (min !== undefined && max !== undefined) out.push(`${min}–${max}`);
  else if (min !== undefined) out.push(`at least ${min}`);
  else if (max !== undefined) out.push(`at most ${max}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.minLength !== undefined && s.minLength > 1) out.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  // Formats say it better than their generated patterns (a date-time pattern is 300 characters).
  if (s.format) out.push(FORMATS[s.format] ?? s.format);
  else if (s.pattern === ID_PATTERN) out.push('an id: letters, digits, `-`, `_`, `.`, at most 80');
  else if (s.pattern) out.push(`matches \`${s.pattern}\``);
  return out.filter(Boolean).join(', ');
}

/** Rows for every field under `s`, nested objects flattened into dotted paths; references stop the walk. */
function rows(s, path, required, out) {
  const items = s.type === 'array' && s.items && !refName(s.items) ? s.items : null;
  const mapOf = s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object' && !refName(s.additionalProperties) ? s.additionalProperties : null;
  if (path) {
    const description = [s.description ?? items?.description ?? '', constraints(s)].filter(Boolean).join(' — ');
    out.push(`| \`${path}\` | ${typeOf(s)} | ${required ? 'yes' : ''} | ${s.default !== undefined ? code(s.default) : ''} | ${cell(description)} |`);
  }
  const inner = items ?? mapOf ?? s;
  const prefix = items ? `${path}[]` : mapOf ? `${path}.<${path.split('.').pop()?.replace(/s$/, '') || 'key'}>` : path;
  if (inner.type === 'object' && inner.properties && !refName(inner))
    for (const [k, v] of Object.entries(inner.properties)) {
      if (k === '$schema') continue;
      rows(v, prefix ? `${prefix}.${k}` : k, (inner.required ?? []).includes(k), out);
    }
  return out;
}

const HEAD = '| field | type | required | default | meaning |\n|---|---|---|---|---|';

/** zod names some nested schemas `__schema0`…: put them back where they are used. */
function inlineAnonymous(node, defs) {
  if (Array.isArray(node)) return node.map((n) => inlineAnonymous(n, defs));
  if (!node || typeof node !== 'object') return node;
  const name = node.$ref?.split('/').pop();
  if (name?.startsWith('__')) return inlineAnonymous(defs[name], defs);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineAnonymous(v, defs)]));
}

export function render(input) {
  const raw = input.definitions ?? input.$defs ?? {};
  const schema = inlineAnonymous(input, raw);
  const defs = Object.fromEntries(Object.entries(schema.definitions ?? schema.$defs ?? {}).filter(([k]) => !k.startsWith('__')));
  const top = defs[refName(schema) ?? 'AttuneConfig'] ?? schema;
  const parts = [
    '# Config reference',
    '',
    '<!-- Generated by `node scripts/config-reference.mjs` from packages/edge/attune.config.schema.json. Do not edit. -->',
    '',
    'The marketer config (`demo-site/attune.config.json` in the demo) is one JSON file. Its `"$schema"` gives editors',
    'completion and inline errors; `npx attune validate <file>` lists every problem with its path. The types here are',
    'generated from the same zod schema the Worker validates with.',
    '',
  ];
  for (const [key, s] of Object.entries(top.properties ?? {})) {
    if (key === '$schema') continue;
    const ref = refName(s) ?? (s.type === 'array' ? refName(s.items ?? {}) : null);
    if (refName(s)) {
      parts.push(`## \`${key}\``, '', `${s.description ?? ''} See [${ref}](#${anchor(ref)}).`.trim(), '');
      continue;
    }
    parts.push(`## \`${key}\``, '', s.description ?? '', '');
    parts.push(HEAD, ...rows(s, key, (top.required ?? []).includes(key), []), '');
  }
  for (const [name, s] of Object.entries(defs)) {
    if (s === top) continue;
    parts.push(`## ${name}`, '', s.description ?? '', '', HEAD, ...rows(s, '', false, []), '');
  }
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(OUT, 'utf8');
    } catch {}
    if (committed !== text) {
      console.error('docs/config-reference.md is stale: run `node scripts/config-reference.mjs`');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log('wrote docs/config-reference.md');
  }
}
