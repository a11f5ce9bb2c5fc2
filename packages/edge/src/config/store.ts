// The config the Worker serves. Every candidate is validated and a broken one is never served.
//  - The seed (the config the build puts among the static assets, seed.ts) is what a deploy, or a build during
//    `wrangler dev`, brings. When it is valid and new, it is served and written to KV as the last good config.
//  - `PUT /v1/config` (admin) stores a newer config in KV without a deploy; it is served until the next
//    deploy brings a new seed.
//  - When the seed is broken (a marketer saved a mistake during `wrangler dev`), the error is logged and the
//    last good config in KV keeps serving.
import { compileConfig, type CompiledConfig } from './compile.js';
import { validateConfig, type ValidateOptions, type ValidationResult } from './validate.js';

export const CONFIG_KEY = 'config:current';
/** How long an isolate serves its copy before it looks at KV again. */
const REFRESH_MS = 5_000;
/** A refresh still unsettled after this long is taken for lost, and the next request starts another. */
const REFRESH_STUCK_MS = 30_000;

/** What KV holds: a config, and the version of the seed that was deployed when it was stored. */
interface Stored {
  config: unknown;
  seed: string | null;
}

const describe = (r: ValidationResult) => (r.ok ? '' : r.errors.map((e) => `${e.path}: ${e.message}${e.found ? ` (found ${e.found})` : ''}`).join('; '));

/** What KV holds, and its text: an unchanged text needs no validating and compiling again. */
async function read(kv: KVNamespace): Promise<{ stored: Stored; text: string } | null> {
  try {
    const text = await kv.get(CONFIG_KEY, 'text');
    return text === null ? null : { stored: JSON.parse(text) as Stored, text };
  } catch (e) {
    console.error('attune: cannot read the stored config', e);
    return null;
  }
}

/** The config store of one app: `bundled` is the seed config JSON (undefined: none). */
export function createConfigStore(bundled: unknown) {
  let held: { compiled: CompiledConfig; checkedAt: number; text?: string } | undefined;
  let seed: { compiled?: CompiledConfig } | undefined;
  /**
   * When the refresh under way started: requests arriving meanwhile serve the config held instead of each
   * refreshing. One that never settles (its request cancelled) stops counting after REFRESH_STUCK_MS.
   */
  let refreshingSince: number | undefined;
  /** The rules the configs held were validated under; the environment asking for other rules drops them. */
  let heldFor: boolean | undefined;
  let options: ValidateOptions = {};
  const under = (o: ValidateOptions) => {
    const local = !!o.allowLocalWebhooks;
    if (heldFor !== local) [held, seed, heldFor, options] = [undefined, undefined, local, o];
  };

  function seedOf(): CompiledConfig | undefined {
    if (seed) return seed.compiled;
    // No seed (a build that wrote none, said where it was looked for): only a stored config can serve.
    if (bundled === undefined) {
      seed = {};
      return undefined;
    }
    const r = validateConfig(bundled, options);
    if (!r.ok) console.error(`attune: the bundled config is invalid; the last good config keeps serving. ${describe(r)}`);
    seed = { compiled: r.ok ? compileConfig(r.config) : undefined };
    return seed.compiled;
  }

  async function refresh(kv: KVNamespace, now: number): Promise<CompiledConfig> {
    const fresh = seedOf();
    const got = await read(kv);
    const stored = got?.stored;
    let compiled: CompiledConfig | undefined;
    let text: string | undefined;
    if (fresh && stored?.seed !== fresh.version) {
      compiled = fresh;
      await kv.put(CONFIG_KEY, JSON.stringify({ config: bundled, seed: fresh.version } satisfies Stored)).catch((e) => console.error('attune: cannot store the config', e));
    } else if (got && held?.text === got.text) {
      // Unchanged since the last look (the usual case): validating and compiling it again was a tenth of
      // the Worker's CPU under an import's load.
      ({ compiled, text } = held);
    } else if (stored) {
      const r = validateConfig(stored.config, options);
      if (r.ok) {
        const next = compileConfig(r.config);
        compiled = held?.compiled.version === next.version ? held.compiled : next;
        text = got!.text;
      } else console.error(`attune: the stored config is invalid; keeping the last good one. ${describe(r)}`);
    }
    compiled ??= held?.compiled ?? fresh;
    if (!compiled) throw new Error('attune: there is no valid config to serve (see the errors above)');
    held = { compiled, checkedAt: now, ...(text !== undefined ? { text } : {}) };
    return compiled;
  }

  return {
    /**
     * The config to serve now. Throws only when there has never been a valid one. `o`: what the Worker's
     * environment allows (validationOptions(env)), e.g. local webhook receivers in development only.
     */
    current(kv: KVNamespace, now = Date.now(), o: ValidateOptions = {}): Promise<CompiledConfig> {
      under(o);
      const refreshing = refreshingSince !== undefined && now - refreshingSince < REFRESH_STUCK_MS;
      if (held && (now - held.checkedAt < REFRESH_MS || refreshing)) return Promise.resolve(held.compiled);
      // Never hand out another request's refresh: workerd cancels the continuations of a promise whose request
      // has finished (a 500, "the Worker's code had hung"). The first request refreshes; the others serve the
      // config held, at most one refresh late. With none held yet (a cold isolate) each request reads its own.
      const since = (refreshingSince = now);
      return refresh(kv, now).finally(() => {
        if (refreshingSince === since) refreshingSince = undefined;
      });
    },

    /** The seed this deploy brought, when it is valid: its content version and JSON (versions record it). */
    seed(o: ValidateOptions = {}): { hash: string; config: string } | undefined {
      under(o);
      const compiled = seedOf();
      return compiled ? { hash: compiled.version, config: JSON.stringify(bundled) } : undefined;
    },

    /**
     * Looks at KV again on the next request, however recent the last look. The visitor Worker calls it when the
     * workplace answered a change it passed on (a publish, a rollback): the isolate that carried it serves the new
     * config at once, as the one that stores it does, and the others within REFRESH_MS.
     */
    stale(): void {
      if (held) held = { ...held, checkedAt: -Infinity };
    },

    /** Validates and stores a config; a broken one is refused and the one being served stays. */
    async save(kv: KVNamespace, input: unknown, o: ValidateOptions = {}): Promise<ValidationResult> {
      under(o);
      const r = validateConfig(input, o);
      if (r.ok) {
        await kv.put(CONFIG_KEY, JSON.stringify({ config: input, seed: seedOf()?.version ?? null } satisfies Stored));
        held = undefined; // this isolate serves it at once; others within REFRESH_MS
      }
      return r;
    },
  };
}

export type ConfigStore = ReturnType<typeof createConfigStore>;
