// Privacy in the archive, in D1: which days hold a person (the per-profile index), which days were written since
// their compaction, and who was erased (tombstones). Parquet files cannot be edited in place, so an erasure hides
// the person at once from every read through Attune and the next compaction rewrites the days the index names.
import type { AcceptedEvent } from '../contract/events.js';
import { jsonChunks } from '../log/json-chunks.js';
import { ensureArchiveSchema } from './d1-schema.js';
import { dayOf } from './layout.js';
import type { IdKind, Tombstone } from './merge.js';

/** The (kind, id, day) triples of a batch, each once. Pure. */
export function profileDays(events: readonly AcceptedEvent[]): [IdKind, string, string][] {
  const seen = new Map<string, [IdKind, string, string]>();
  for (const e of events) {
    const day = dayOf(e.timestamp, `event ${JSON.stringify(e.messageId)}: timestamp`);
    for (const [kind, id] of [['anonymous', e.anonymousId], ['user', e.userId]] as const) {
      if (typeof id === 'string' && id) seen.set(`${kind}\u0000${id}\u0000${day}`, [kind, id, day]);
    }
  }
  return [...seen.values()];
}

const INDEX = `INSERT OR IGNORE INTO archive_profile_days (site, id_kind, id, day)
SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?2)`;
// WHERE true: SQLite's upsert after a SELECT needs it to tell ON CONFLICT from a join constraint.
const WRITTEN = `INSERT INTO archive_days (site, day, writes) SELECT ?1, value, 1 FROM json_each(?2) WHERE true
ON CONFLICT (site, day) DO UPDATE SET writes = writes + 1`;

/**
 * The D1 statements that record a batch of archived events: the per-profile index (erase and export find the
 * days that hold a person) and a write counted on each day (compaction finds days written since it last ran).
 * Run them in the consumer's D1 batch *after* archiveMessage resolved: a day counted before its file exists
 * could be compacted without it and then not be due again. Idempotent but for the counter, which only makes a
 * day due once more. Creates the tables first (once per isolate).
 */
export async function archiveIndexStatements(db: D1Database, site: string, events: readonly AcceptedEvent[]): Promise<D1PreparedStatement[]> {
  if (!events.length) return [];
  await ensureArchiveSchema(db);
  const triples = profileDays(events);
  const days = [...new Set(events.map((e) => dayOf(e.timestamp)))];
  return [...jsonChunks(triples).map((c) => db.prepare(INDEX).bind(site, c)), db.prepare(WRITTEN).bind(site, JSON.stringify(days))];
}

const IDS = `(SELECT 'anonymous' AS kind, value AS id FROM json_each(?2) UNION ALL SELECT 'user', value FROM json_each(?3))`;

/**
 * Records that these ids are erased (a row each, at `now`): every read through Attune hides their archived rows
 * received up to now, at once; the next compaction removes them from the files of the returned days (those the
 * index names) and marks the tombstones done. Erasing an id again moves its time forward and makes it pending.
 * @returns the days whose files hold the person, sorted
 */
export async function tombstone(db: D1Database, site: string, anonymousIds: readonly string[], userIds: readonly string[], now: number): Promise<string[]> {
  if (!anonymousIds.length && !userIds.length) return [];
  await ensureArchiveSchema(db);
  const binds = [site, JSON.stringify(anonymousIds), JSON.stringify(userIds)];
  const [, days] = await db.batch<{ day: string }>([
    db
      .prepare(
        `INSERT INTO archive_tombstones (site, id_kind, id, erased_at, done_at) SELECT ?1, kind, id, ?4, NULL FROM ${IDS} WHERE true
         ON CONFLICT (site, id_kind, id) DO UPDATE SET erased_at = max(erased_at, excluded.erased_at), done_at = NULL`,
      )
      .bind(...binds, now),
    db.prepare(`SELECT DISTINCT p.day FROM archive_profile_days p JOIN ${IDS} i ON p.id_kind = i.kind AND p.id = i.id WHERE p.site = ?1 ORDER BY p.day`).bind(...binds),
  ]);
  return days!.results.map((r) => r.day);
}

/** Every tombstone of the site: the filter of every read and compaction (bounded by retention, purgeArchiveIndex). */
export async function loadTombstones(db: D1Database, site: string): Promise<Tombstone[]> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare('SELECT id_kind AS kind, id, erased_at AS erasedAt FROM archive_tombstones WHERE site = ?1')
    .bind(site)
    .all<Tombstone>();
  return results;
}

/** The days named by the index for the ids of tombstones not yet done: compaction rewrites them. */
export async function pendingTombstoneDays(db: D1Database, site: string): Promise<string[]> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare(
      `SELECT DISTINCT p.day FROM archive_tombstones t JOIN archive_profile_days p ON p.site = t.site AND p.id_kind = t.id_kind AND p.id = t.id
       WHERE t.site = ?1 AND t.done_at IS NULL ORDER BY p.day`,
    )
    .bind(site)
    .all<{ day: string }>();
  return results.map((r) => r.day);
}

/** Marks done the tombstones compaction applied: those recorded up to `loadedAt`, when it read them. */
export async function markTombstonesDone(db: D1Database, site: string, loadedAt: number, now: number): Promise<number> {
  const r = await db
    .prepare('UPDATE archive_tombstones SET done_at = ?3 WHERE site = ?1 AND done_at IS NULL AND erased_at <= ?2')
    .bind(site, loadedAt, now)
    .run();
  return r.meta.changes ?? 0;
}

/** Drops index rows of erased ids from a day whose files no longer hold them. */
export async function forgetProfileDays(db: D1Database, site: string, day: string, ids: readonly [IdKind, string][]): Promise<void> {
  if (!ids.length) return;
  await db.batch(
    jsonChunks(ids).map((c) =>
      db
        .prepare(
          `DELETE FROM archive_profile_days WHERE site = ?1 AND day = ?2
           AND (id_kind, id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?3))`,
        )
        .bind(site, day, c),
    ),
  );
}

/** Days the index names for these ids (the archived days of one person), sorted. */
export async function daysOfProfile(db: D1Database, site: string, anonymousIds: readonly string[], userIds: readonly string[]): Promise<string[]> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare(`SELECT DISTINCT p.day FROM archive_profile_days p JOIN ${IDS} i ON p.id_kind = i.kind AND p.id = i.id WHERE p.site = ?1 ORDER BY p.day`)
    .bind(site, JSON.stringify(anonymousIds), JSON.stringify(userIds))
    .all<{ day: string }>();
  return results.map((r) => r.day);
}

/** The erased ids the index still names on this day (compaction checks whether the day's files still hold them). */
export async function tombstonedIdsOn(db: D1Database, site: string, day: string): Promise<[IdKind, string][]> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare(
      `SELECT t.id_kind AS kind, t.id FROM archive_tombstones t JOIN archive_profile_days p ON p.site = t.site AND p.id_kind = t.id_kind AND p.id = t.id
       WHERE t.site = ?1 AND p.day = ?2`,
    )
    .bind(site, day)
    .all<{ kind: IdKind; id: string }>();
  return results.map((r) => [r.kind, r.id]);
}
