// Every property name a zod schema knows, read from zod's own definitions: the vocabulary of "did you mean" hints.
// Walking the schema directly keeps zod's JSON Schema generator (21 KB minified) out of the Worker.
import type * as z from '../contract/zod.js';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | null)?._zod?.def;

export function schemaKeys(schema: z.ZodMiniType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: unknown) => {
    const def = defOf(s);
    if (!def || seen.has(s)) return;
    seen.add(s);
    switch (def.type) {
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        for (const [k, v] of Object.entries(shape)) (keys.add(k), walk(v));
        walk(def.catchall);
        return;
      }
      case 'lazy':
        return walk((def.getter as () => unknown)());
      default:
        // Wrappers and combinators: whatever schemas the definition holds (innerType, element, options, in/out…).
        for (const v of Object.values(def)) {
          if (Array.isArray(v)) v.forEach(walk);
          else if (defOf(v)) walk(v);
        }
    }
  };
  walk(schema);
  return keys;
}
