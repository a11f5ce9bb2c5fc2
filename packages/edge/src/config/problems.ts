// A config problem as a marketer reads it: where (a JSON path), what is wrong, what was found, what was expected.
import type { core } from 'zod/mini';

export interface ConfigProblem {
  path: string;
  message: string;
  found?: string;
  expected?: string;
  severity: 'error' | 'warning';
}

/** `["segments", 2, "rule", "any", 0]` → `segments[2].rule.any[0]` */
export const formatPath = (path: readonly PropertyKey[]) =>
  path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `${i ? '.' : ''}${String(k)}` : `[${JSON.stringify(String(k))}]`))
    .join('') || '(the whole file)';

export const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), root);

/** A value shown in one short line. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The closest of `known` to `word`, if it is a plausible typo. */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let score = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const k of known) {
    const s = levenshtein(word.toLowerCase(), k.toLowerCase());
    if (s < score) [best, score] = [k, s];
  }
  return best;
}

export const oneOf = (names: readonly string[]) => {
  const known = [...new Set(names)];
  return known.length === 0
    ? 'none defined'
    : `one of ${known
        .slice(0, 12)
        .map((k) => JSON.stringify(k))
        .join(', ')}${known.length > 12 ? ', …' : ''}`;
};

/** A zod issue in the marketer's terms. `vocabulary` is every key the config knows, for typo hints. */
export function fromZodIssue(issue: core.$ZodIssue, input: unknown, vocabulary: ReadonlySet<string>): ConfigProblem[] {
  const found = valueAt(input, issue.path);
  const at = (path: readonly PropertyKey[], message: string, expected?: string, f: unknown = found): ConfigProblem => ({
    path: formatPath(path),
    message,
    found: show(f),
    ...(expected && { expected }),
    severity: 'error',
  });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const hint = didYouMean(k, vocabulary);
        return at([...issue.path, k], `unknown key "${k}"${hint ? ` — did you mean "${hint}"?` : ''}`, undefined, (found as Record<string, unknown>)?.[k]);
      });
    case 'invalid_type':
      return [at(issue.path, found === undefined ? 'is missing' : `has the wrong type`, issue.expected)];
    case 'invalid_value':
      return [at(issue.path, 'is not an allowed value', oneOf(issue.values.map(String)))];
    case 'too_small':
      return [
        at(
          issue.path,
          issue.message,
          `${issue.origin === 'array' ? 'at least' : '≥'} ${issue.minimum}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`,
        ),
      ];
    case 'too_big':
      return [
        at(
          issue.path,
          issue.message,
          `${issue.origin === 'array' ? 'at most' : '≤'} ${issue.maximum}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`,
        ),
      ];
    case 'invalid_union': {
      const inner = issue.errors.flat()[0];
      return inner ? fromZodIssue({ ...inner, path: [...issue.path, ...inner.path] } as core.$ZodIssue, input, vocabulary) : [at(issue.path, issue.message)];
    }
    default:
      return [at(issue.path, issue.message)];
  }
}
