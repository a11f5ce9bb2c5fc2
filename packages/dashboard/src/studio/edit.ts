// Immutable edits of the draft config by path: the form never mutates what it was given, so an older state
// (the live config, the last saved draft) stays intact for the diff and for undo-by-reload.
import type { Path } from './paths.js';

type Container = Record<string, unknown> | unknown[];

/** `value` put at `path`; `undefined` removes an object's key (an optional field left empty). */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  const base: Container = Array.isArray(root) ? [...root] : root && typeof root === 'object' ? { ...(root as Record<string, unknown>) } : typeof head === 'number' ? [] : {};
  const child = (base as Record<string | number, unknown>)[head!];
  const next = setAt(child, rest, value);
  if (next === undefined && !Array.isArray(base)) delete (base as Record<string, unknown>)[head as string];
  else (base as Record<string | number, unknown>)[head!] = next;
  return base;
}

export const getAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), root);

/** The list with item `from` moved to `to` (a reorder). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (to < 0 || to >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

/** A copy of an item, inserted after it; an `id` gets a suffix that is free in the list, as ids must be unique. */
export function copyItem<T>(list: readonly T[], index: number): T[] {
  const item = JSON.parse(JSON.stringify(list[index])) as T;
  const named = item as { id?: unknown } | null;
  if (named && typeof named === 'object' && typeof named.id === 'string') {
    const ids = new Set(list.map((x) => (x as { id?: unknown } | null)?.id));
    const base = `${named.id}-copy`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    named.id = id;
  }
  return [...list.slice(0, index + 1), item, ...list.slice(index + 1)];
}

export const removeItem = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);
