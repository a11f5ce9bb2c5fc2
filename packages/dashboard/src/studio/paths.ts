// Where a config problem belongs in the form. Problems name paths as `npx attune validate` prints them
// (`slots[0].variants[1].content.title`, config/problems.ts formatPath); the form's fields know theirs as arrays.
// A problem is shown at the deepest field the form draws on its path, with the message as the API wrote it.

export type Path = (string | number)[];
export type Problem = { path: string; message: string; found?: string; expected?: string; severity?: 'error' | 'warning' };

/** `['segments', 2, 'rule', 'any', 0]` → `segments[2].rule.any[0]`, spelled as the edge's config/problems.ts formatPath. */
export const formatPath = (path: readonly (string | number)[]) =>
  path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`))
    .join('') || '(the whole file)';

/** `slots[0].variants[1]["a b"]` → `['slots', 0, 'variants', 1, 'a b']`; "(the whole file)" → []. */
export function parsePath(text: string): Path {
  const out: Path = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  if (text === formatPath([])) return out;
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else out.push(m[3]!);
  }
  return out;
}

/** The DOM id of the control at a path: the summary links to it, aria-describedby names its errors. */
export const fieldId = (path: Path) => `f-${formatPath(path).replace(/\s/g, '_')}`;

const startsWith = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((k, i) => k === path[i]);

/** A parsed problem list, parsed once per validation answer. */
export type Placed = { path: Path; problem: Problem }[];
export const place = (problems: Problem[]): Placed => problems.map((problem) => ({ path: parsePath(problem.path), problem }));

/**
 * The problems a field at `path` shows itself: those at its path, and those below it that no child field will
 * show — `children` says which child keys the form draws ('all' for a field that shows everything under it).
 */
export function problemsAt(placed: Placed, path: Path, children: readonly (string | number)[] | 'all' = []): Problem[] {
  return placed
    .filter(({ path: p }) => startsWith(p, path) && (p.length === path.length || children === 'all' || !children.includes(p[path.length]!)))
    .map((x) => x.problem);
}

/** Whether any problem lies at or under a path (a collapsed item shows a mark). */
export const anyUnder = (placed: Placed, path: Path) => placed.some(({ path: p }) => startsWith(p, path));
