// zod/mini for every schema the Worker holds: the same parsers as zod's classic API, without the methods that
// classic builds on every schema it makes (and its JSON Schema code that they keep reachable). zod's share of the
// Worker went from 102 to 42 KB and an isolate's start-up CPU, mostly spent building these schemas, by a third
// (`npm run size`, `npm run bench -- startup`). Mini has no messages until told: the English ones are the
// classic API's defaults, so every answer reads as it did.
// Import it as `import * as z from './zod.js'`: a namespace re-export keeps esbuild's tree-shaking (exporting zod's
// namespace object as a value would carry all of zod/mini, every locale included).
import { clone, config, type core, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * `schema.check(...checks)` for an object whose shape refers to itself through getters (a rule holds rules): mini's
 * `check` copies the definition with a spread, which runs those getters before the schema they return exists.
 * Copying the definition's property descriptors keeps them getters, as the classic API does.
 */
export function checkRecursive<T extends ZodMiniType>(schema: T, ...checks: core.$ZodCheck<core.output<T>>[]): T {
  const def = schema._zod.def;
  const withChecks = Object.defineProperties({} as typeof def, {
    ...Object.getOwnPropertyDescriptors(def),
    checks: { value: [...(def.checks ?? []), ...checks], enumerable: true, writable: true, configurable: true },
  });
  return clone(schema, withChecks, { parent: true });
}
