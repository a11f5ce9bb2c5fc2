// Config versions in D1 (migration 0013): the source of truth for what was published, by whom and when. KV
// config:current stays the read model the edge serves from (store.ts); publish.ts writes both.
import type { ConfigVersion } from '../contract/studio.js';
import { ensureConfigVersionsSchema } from './versions-schema.js';

interface Row {
  version: number;
  hash: string;
  published_by: string;
  role: string;
  published_at: number;
  comment: string;
  restored_from: number | null;
  config?: string;
}

const COLUMNS = 'version, hash, published_by, role, published_at, comment, restored_from';
/** Who a seed version names: the config a deploy brought, not a person. */
export const SEED_PUBLISHER = 'seed';

const toVersion = (r: Row): ConfigVersion => ({
  version: r.version,
  hash: r.hash,
  publishedBy: r.published_by,
  role: r.role,
  publishedAt: new Date(r.published_at).toISOString(),
  comment: r.comment,
  ...(r.restored_from !== null ? { restoredFrom: r.restored_from } : {}),
});

export interface NewVersion {
  hash: string;
  /** The config JSON as it was sent */
  config: string;
  publishedBy: string;
  role: string;
  publishedAt: number;
  comment: string;
  restoredFrom?: number | undefined;
}

/**
 * One statement: version max+1, only while max is `expected` (undefined: whatever it is). D1 runs statements one
 * at a time, so of two publishers naming the same `expected` exactly one inserts.
 */
const insertSql = `INSERT INTO config_versions (version, hash, config, published_by, role, published_at, comment, restored_from)
SELECT n + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM (SELECT COALESCE(MAX(version), 0) AS n FROM config_versions) WHERE ?8 IS NULL OR n = ?8`;

export type InsertResult = { ok: true; version: ConfigVersion } | { ok: false; current: ConfigVersion | null };

export async function insertVersion(db: D1Database, v: NewVersion, expected?: number): Promise<InsertResult> {
  await ensureConfigVersionsSchema(db);
  const [insert, latest] = await db.batch<Row>([
    db.prepare(insertSql).bind(v.hash, v.config, v.publishedBy, v.role, v.publishedAt, v.comment, v.restoredFrom ?? null, expected ?? null),
    db.prepare(`SELECT ${COLUMNS} FROM config_versions ORDER BY version DESC LIMIT 1`),
  ]);
  const current = latest!.results[0] ? toVersion(latest!.results[0]) : null;
  return insert!.meta.changes === 1 && current ? { ok: true, version: current } : { ok: false, current };
}

/**
 * Records the seed this deploy brought as a version, unless it is already the latest seed recorded: a deploy with
 * a new seed is served over what was published (store.ts), so it is a version too. With nothing ever published
 * the seed is version 1.
 */
export async function recordSeed(db: D1Database, seed: { hash: string; config: string }, now: number): Promise<void> {
  await ensureConfigVersionsSchema(db);
  await db
    .prepare(
      `INSERT INTO config_versions (version, hash, config, published_by, role, published_at, comment, restored_from)
SELECT n + 1, ?1, ?2, ?3, 'owner', ?4, 'the seed the Worker was deployed with', NULL FROM (SELECT COALESCE(MAX(version), 0) AS n FROM config_versions)
WHERE NOT EXISTS (SELECT 1 FROM config_versions WHERE version = (SELECT MAX(version) FROM config_versions WHERE published_by = ?3) AND hash = ?1)`,
    )
    .bind(seed.hash, seed.config, SEED_PUBLISHER, now)
    .run();
}

/** Who the first version names when what a deploy found served was not its seed but a config stored before versions. */
export const UNVERSIONED_PUBLISHER = 'before versions';

/** Records `served` as version 1 when no version exists at all (a config published before versions were kept). */
export async function recordFirst(db: D1Database, served: { hash: string; config: string }, now: number): Promise<void> {
  await ensureConfigVersionsSchema(db);
  await db
    .prepare(
      `INSERT INTO config_versions (version, hash, config, published_by, role, published_at, comment, restored_from)
SELECT 1, ?1, ?2, ?3, 'owner', ?4, 'the config served when versions began', NULL WHERE NOT EXISTS (SELECT 1 FROM config_versions)`,
    )
    .bind(served.hash, served.config, UNVERSIONED_PUBLISHER, now)
    .run();
}

export async function latestVersion(db: D1Database): Promise<(ConfigVersion & { config: unknown }) | null> {
  await ensureConfigVersionsSchema(db);
  const r = await db.prepare(`SELECT ${COLUMNS}, config FROM config_versions ORDER BY version DESC LIMIT 1`).first<Row>();
  return r ? { ...toVersion(r), config: JSON.parse(r.config!) } : null;
}

export async function getVersion(db: D1Database, version: number): Promise<(ConfigVersion & { config: unknown }) | null> {
  await ensureConfigVersionsSchema(db);
  const r = await db.prepare(`SELECT ${COLUMNS}, config FROM config_versions WHERE version = ?`).bind(version).first<Row>();
  return r ? { ...toVersion(r), config: JSON.parse(r.config!) } : null;
}

/** Newest first; `before` is a version number (the last one a page showed), for the next page. */
export async function listVersions(db: D1Database, limit: number, before?: number): Promise<ConfigVersion[]> {
  await ensureConfigVersionsSchema(db);
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM config_versions WHERE version < ? ORDER BY version DESC LIMIT ?`)
    .bind(before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<Row>();
  return results.map(toVersion);
}
