// What changed between two configs, as a marketer reads it: one change per path, paths spelled as
// `attune validate` spells them (problems.ts formatPath). Arrays whose items all carry an `id` (slots,
// variants, segments, arms…) are matched by id, so a reorder reads as 'moved' instead of every field after it
// 'changed'; other arrays are compared index by index. Pure: no I/O, no clock.
import type { DiffChange } from '../contract/studio.js';
import { formatPath } from './problems.js';

type Path = (string | number)[];
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (isObject(v) && typeof v.id === 'string' ? v.id : undefined);
const byId = (a: unknown[]) => a.length > 0 && a.every((x) => idOf(x) !== undefined) && new Set(a.map(idOf)).size === a.length;

/** The longest common subsequence of two id lists: the items that kept their relative order. */
function keptOrder(a: string[], b: string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const t = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) kept.add(a[i]!), i++, j++;
    else if (t[i + 1]![j]! >= t[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function walk(before: unknown, after: unknown, path: Path, out: DiffChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    if ((byId(before) || before.length === 0) && (byId(after) || after.length === 0) && (before.length || after.length)) return walkById(before, after, path, out);
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= before.length) out.push({ path: formatPath([...path, i]), kind: 'added', after: after[i] });
      else if (i >= after.length) out.push({ path: formatPath([...path, i]), kind: 'removed', before: before[i] });
      else walk(before[i], after[i], [...path, i], out);
    }
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const k of Object.keys(before)) if (!(k in after)) out.push({ path: formatPath([...path, k]), kind: 'removed', before: before[k] });
    for (const k of Object.keys(after)) {
      if (!(k in before)) out.push({ path: formatPath([...path, k]), kind: 'added', after: after[k] });
      else walk(before[k], after[k], [...path, k], out);
    }
    return;
  }
  if (!Object.is(before, after)) out.push({ path: formatPath(path), kind: 'changed', before, after });
}

/** Items matched by id: removed at their old index, added and moved at their new one, then compared inside. */
function walkById(before: unknown[], after: unknown[], path: Path, out: DiffChange[]): void {
  const oldIndex = new Map(before.map((x, i) => [idOf(x)!, i]));
  const newIds = after.map((x) => idOf(x)!);
  const common = newIds.filter((id) => oldIndex.has(id));
  const kept = keptOrder(before.map((x) => idOf(x)!).filter((id) => newIds.includes(id)), common);
  before.forEach((x, i) => {
    if (!newIds.includes(idOf(x)!)) out.push({ path: formatPath([...path, i]), kind: 'removed', before: x });
  });
  after.forEach((x, j) => {
    const id = idOf(x)!;
    const i = oldIndex.get(id);
    if (i === undefined) return void out.push({ path: formatPath([...path, j]), kind: 'added', after: x });
    if (!kept.has(id)) out.push({ path: formatPath([...path, j]), kind: 'moved', before: formatPath([...path, i]), after: formatPath([...path, j]) });
    walk(before[i], x, [...path, j], out);
  });
}

/**
 * The changes that turn `before` into `after`. A 'moved' change has the old path in `before` and the new one in
 * `after`; paths inside matched items use the newer side's indexes.
 */
export function diffConfigs(before: unknown, after: unknown): DiffChange[] {
  const out: DiffChange[] = [];
  walk(before, after, [], out);
  return out;
}
