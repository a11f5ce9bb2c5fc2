// A product feed (JSON or CSV) → a validated catalog, or every problem by row and field, e.g.
// `row 17, price: "12,5" is not a number`. Pure: the CLI reads the file, the admin route the body.
//
// CSV: one product per row under a header row. Columns: id, name, url, image, price, currency,
// categories, tags, inStock, launchedAt, and `attributes.<name>` (or `attr:<name>`) per attribute.
// Lists (categories, tags, attribute values) are separated by "|". Rows are numbered as a spreadsheet
// shows them: the header is row 1. JSON: `{"products": [...]}` or a bare array; rows are `products[i]`.
import * as z from '../contract/zod.js';
import { catalogSchema, productSchema, type Catalog } from '../contract/catalog.js';
import { didYouMean, formatPath, show } from '../config/problems.js';
import { parseCsv } from './csv.js';

export interface FeedProblem {
  /** `row 17` (CSV) or `products[16]` (JSON), or `(the whole file)` */
  where: string;
  field?: string;
  message: string;
}

export type FeedResult = { ok: true; catalog: Catalog } | { ok: false; problems: FeedProblem[] };

export const formatProblem = (p: FeedProblem) => `${p.where}${p.field ? `, ${p.field}` : ''}: ${p.message}`;

const LIST = '|';
const COLUMNS = ['id', 'name', 'url', 'image', 'price', 'currency', 'categories', 'tags', 'inStock', 'launchedAt'];
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function formatOf(fileName: string, text: string): 'json' | 'csv' {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

export function parseFeed(text: string, format: 'json' | 'csv'): FeedResult {
  return format === 'json' ? parseJsonFeed(text) : parseCsvFeed(text);
}

function parseJsonFeed(text: string): FeedResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ where: '(the whole file)', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const input = Array.isArray(value) ? { products: value } : value;
  return check(input, (path) => {
    const [, row, ...field] = path;
    return typeof row === 'number' ? { where: `products[${row}]`, field: fieldOf(field) } : { where: '(the whole file)', field: fieldOf(path) };
  });
}

function parseCsvFeed(text: string): FeedResult {
  const csv = parseCsv(text);
  if (!csv.ok) return { ok: false, problems: [{ where: `row ${csv.line}`, message: csv.message }] };
  const [header, ...rows] = csv.records;
  if (!header) return { ok: false, problems: [{ where: '(the whole file)', message: 'the file is empty: expected a header row and one row per product' }] };
  const problems: FeedProblem[] = [];
  const names = header.cells.map((h) => h.trim());
  const attr = (h: string) => /^(?:attributes\.|attr:)(.+)$/.exec(h)?.[1];
  names.forEach((h, i) => {
    if (COLUMNS.includes(h) || attr(h)) return;
    const hint = didYouMean(h, COLUMNS);
    problems.push({
      where: 'row 1',
      field: h || `column ${i + 1}`,
      message: `unknown column${hint ? ` — did you mean "${hint}"?` : ''}; known: ${COLUMNS.join(', ')}, attributes.<name>`,
    });
  });
  for (const must of ['id', 'name', 'url', 'price', 'currency', 'categories'])
    if (!names.includes(must)) problems.push({ where: 'row 1', field: must, message: 'missing column' });
  if (problems.length) return { ok: false, problems };

  const lines: number[] = [];
  const products = rows.map((r) => {
    lines.push(r.line);
    if (r.cells.length !== names.length) problems.push({ where: `row ${r.line}`, message: `has ${r.cells.length} cells, the header has ${names.length}` });
    const p: Record<string, unknown> = {};
    const attributes: Record<string, unknown> = {};
    names.forEach((h, i) => {
      const raw = (r.cells[i] ?? '').trim();
      if (raw === '') return; // empty cell = not given (defaults apply; required fields are reported by the schema)
      const list = () =>
        raw
          .split(LIST)
          .map((s) => s.trim())
          .filter(Boolean);
      const bad = (message: string) => problems.push({ where: `row ${r.line}`, field: h, message: `${show(raw)} ${message}` });
      const a = attr(h);
      if (a) attributes[a] = raw.includes(LIST) ? list() : raw;
      else if (h === 'price') {
        const n = Number(raw);
        if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) bad(`is not a number${/^\d+,\d+$/.test(raw) ? ' (use "." for decimals)' : ''}`);
        else p.price = n;
      } else if (h === 'inStock') {
        const v = raw.toLowerCase();
        if (TRUE.has(v)) p.inStock = true;
        else if (FALSE.has(v)) p.inStock = false;
        else bad('is not true or false (also accepted: yes/no, 1/0)');
      } else if (h === 'categories' || h === 'tags') p[h] = list();
      else p[h] = raw;
    });
    if (Object.keys(attributes).length) p.attributes = attributes;
    return p;
  });
  // Conversion problems first; schema problems of the same rows are still worth listing.
  const r = check({ products }, (path) => {
    const [, row, ...field] = path;
    return typeof row === 'number' ? { where: `row ${lines[row]}`, field: fieldOf(field) } : { where: '(the whole file)', field: fieldOf(path) };
  });
  if (!r.ok) {
    // A field already reported as unreadable is also "missing" to the schema: say it once.
    const seen = new Set(problems.map((p) => `${p.where}|${p.field}`));
    problems.push(...r.problems.filter((p) => !seen.has(`${p.where}|${p.field}`)));
  }
  return problems.length ? { ok: false, problems: sortByRow(problems) } : r;
}

const rowOf = (p: FeedProblem) => Number(/\d+/.exec(p.where)?.[0] ?? 0);
const sortByRow = (ps: FeedProblem[]) =>
  ps
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rowOf(a.p) - rowOf(b.p) || a.i - b.i)
    .map((x) => x.p);

const fieldOf = (path: PropertyKey[]) => (path.length ? formatPath(path) : undefined);

function check(input: unknown, locate: (path: PropertyKey[]) => { where: string; field: string | undefined }): FeedResult {
  const r = catalogSchema.safeParse(input);
  const problems: FeedProblem[] = r.success ? [] : r.error.issues.map((i) => ({ ...locate(i.path), message: messageOf(i, input) }));
  // Duplicates are looked for even when other fields are wrong, so one run lists everything.
  const products = (input as { products?: unknown })?.products;
  const seen = new Map<string, number>();
  (Array.isArray(products) ? products : []).forEach((p: { id?: unknown }, i) => {
    if (typeof p?.id !== 'string') return;
    const first = seen.get(p.id);
    if (first === undefined) seen.set(p.id, i);
    else problems.push({ ...locate(['products', i, 'id']), message: `duplicate id ${show(p.id)} (also ${locate(['products', first]).where})` });
  });
  return problems.length ? { ok: false, problems } : { ok: true, catalog: r.data! };
}

function messageOf(issue: z.core.$ZodIssue, input: unknown): string {
  const found = issue.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), input);
  if (issue.code === 'invalid_type') return found === undefined ? `is missing (expected ${issue.expected})` : `${show(found)} is not a ${issue.expected}`;
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(productSchema.shape);
    return issue.keys.map((k) => `unknown field "${k}"${didYouMean(k, known) ? ` — did you mean "${didYouMean(k, known)}"?` : ''}`).join('; ');
  }
  return found === undefined || typeof found === 'object' ? issue.message : `${show(found)} ${issue.message}`;
}
