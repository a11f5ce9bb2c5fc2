// Publishing a config: validate, take the next version number in D1 (refused when the live version moved since the
// one the publisher named), then write KV, which the edge serves from. PUT /v1/config and restore share it.
import type { Context } from 'hono';
import { actorOf } from '../admin/actor.js';
import { recordAudit } from '../admin/audit.js';
import type { AppEnv } from '../app-env.js';
import type { ConfigVersion } from '../contract/studio.js';
import { fail } from '../http/errors.js';
import { compileConfig } from './compile.js';
import type { ConfigStore } from './store.js';
import { validateConfig, validationOptions } from './validate.js';
import { insertVersion, latestVersion, recordFirst, recordSeed } from './versions-store.js';

/**
 * Makes sure the config this deploy serves has a version, the first time an isolate is asked: the seed when it is
 * what is served (with nothing ever published it is version 1), else — a config stored in KV before versions were
 * kept — what is served, as version 1 when there is none. A new isolate serves its deploy's seed unless a publish
 * on this deploy replaced it (store.ts), and that publish recorded the seed first. Once per isolate.
 */
const seedRecorded = new WeakSet<ConfigStore>();
export async function ensureSeedVersion(c: Context<AppEnv>, store: ConfigStore, now = Date.now()): Promise<void> {
  if (seedRecorded.has(store)) return;
  const seed = store.seed(validationOptions(c.env));
  const served = c.var.config;
  if (seed && seed.hash === served.version) await recordSeed(c.env.EVENTS, seed, now);
  else await recordFirst(c.env.EVENTS, { hash: served.version, config: JSON.stringify(served.config) }, now);
  seedRecorded.add(store);
}

/** The live version with its config (D1's latest); there is always one once the seed is recorded. */
export async function liveVersion(c: Context<AppEnv>, store: ConfigStore) {
  await ensureSeedVersion(c, store);
  const live = await latestVersion(c.env.EVENTS);
  if (!live) fail(503, 'no config version is recorded yet: try again');
  return live;
}

export const conflictMessage = (current: Pick<ConfigVersion, 'version' | 'publishedBy' | 'publishedAt'>, yours: number) =>
  current.version > yours
    ? `version ${current.version} was published by ${current.publishedBy} at ${current.publishedAt} since your version ${yours}`
    : `version ${yours} does not exist: the live version is ${current.version}, published by ${current.publishedBy} at ${current.publishedAt}`;

export interface PublishRequest {
  input: unknown;
  /** If-Match: the version the publisher started from */
  expected?: number | undefined;
  comment: string;
  restoredFrom?: number | undefined;
}

/** The answer of a publish: 200 with the new version, 400 with every problem, or 409 naming the newer version. */
export async function publish(c: Context<AppEnv>, store: ConfigStore, req: PublishRequest): Promise<Response> {
  const options = validationOptions(c.env);
  const r = validateConfig(req.input, options);
  if (!r.ok) return c.json({ success: false, error: 'the config has errors; the current one keeps serving', errors: r.errors, warnings: r.warnings }, 400);
  await ensureSeedVersion(c, store);
  const actor = actorOf(c);
  const now = Date.now();
  const inserted = await insertVersion(
    c.env.EVENTS,
    { hash: compileConfig(r.config).version, config: JSON.stringify(req.input), publishedBy: actor.name, role: actor.role, publishedAt: now, comment: req.comment, restoredFrom: req.restoredFrom },
    req.expected,
  );
  if (!inserted.ok) {
    if (!inserted.current) fail(503, 'the config version could not be recorded: try again');
    const { version, publishedBy, publishedAt } = inserted.current;
    return c.json({ success: false, error: conflictMessage(inserted.current, req.expected ?? 0), current: { version, publishedBy, publishedAt } }, 409);
  }
  const version = inserted.version.version;
  // D1 has the version; should KV refuse it, say so rather than answer a bare 500 for a version that exists.
  await store.save(c.env.PROFILES, req.input, options).catch((e: unknown) => {
    console.error(`attune: version ${version} is recorded but KV did not take it`, e);
    fail(503, `version ${version} is recorded, but the edge could not be updated (KV: ${(e as Error).message}); publish again with If-Match: "${version}" to serve it`);
  });
  // Two publishers without If-Match may write KV in the other order than D1 numbered them: whoever finds a newer
  // version than its own after writing puts that one back, so KV ends on D1's latest.
  const live = await latestVersion(c.env.EVENTS);
  if (live && live.version > version) await store.save(c.env.PROFILES, live.config, options);
  await recordAudit(c, req.restoredFrom !== undefined ? 'restore' : 'publish', {
    version,
    hash: inserted.version.hash,
    comment: req.comment,
    ...(req.restoredFrom !== undefined ? { restoredFrom: req.restoredFrom } : {}),
  });
  return c.json({ success: true, version, warnings: r.warnings });
}
