// Maps keyed by names from outside (event names, trait keys, question and product ids, categories…) are
// null-prototype objects: on a plain object, `counters["__proto__"]` is Object.prototype and
// `counters["constructor"]` is Object, so a visitor's event name could write onto every object of the isolate.
// Pure, no zod: the dashboard and the widgets may import it.

/** A map from outside names to values: an object without a prototype, so every key is only data. */
export type Dict<V> = Record<string, V>;

/** A fresh null-prototype object holding the own enumerable entries of `from` (or the pairs given). */
export function dict<V>(from?: Readonly<Record<string, V>> | Iterable<readonly [string, V]> | null): Dict<V> {
  const out = Object.create(null) as Dict<V>;
  if (!from) return out;
  if (Symbol.iterator in from) {
    for (const [k, v] of from as Iterable<readonly [string, V]>) out[k] = v;
    return out;
  }
  // Own enumerable keys only, `__proto__` included when JSON.parse or a clone made it an own property: on a target
  // without a prototype there is no `__proto__` setter, so every key lands as data (and the copy is native, fast).
  return Object.assign(out, from);
}

/** `o[k]` when `o` holds `k` itself, never what its prototype holds. */
export function own<V>(o: Readonly<Record<string, V>> | null | undefined, k: string): V | undefined {
  return o != null && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Whether `o` holds `k` itself. */
export const has = (o: object | null | undefined, k: string): boolean => o != null && Object.hasOwn(o, k);

/** Whether `v` is a JSON object (not null, not an array): what free-form maps must be. */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
