// The archive as the shop downloads it (GET /v1/archive/events…): a site's days with their files, and one file's
// bytes — the stored object as it is, unless a tombstone hides rows in it, then re-encoded without them, so an
// erased person is in no export from the moment of the erasure, long before a compaction rewrites the file.
import type { ArchiveDay, ArchiveFile } from '../contract/archive-export.js';
import { ensureArchiveSchema } from './d1-schema.js';
import { withoutErased, type FilteredFile } from './file-filter.js';
import { dayPrefix, parseKey, sitePrefix } from './layout.js';
import { tombstoneSet } from './merge.js';
import { loadTombstones } from './tombstones.js';

/**
 * Days in [since, until] (until null: every later day) whose files the per-profile index says hold an erased
 * person's rows that no compaction has removed yet (compaction forgets an id on a day once its files are rewritten).
 */
export async function daysWithErased(db: D1Database, site: string, since: string, until: string | null): Promise<Set<string>> {
  await ensureArchiveSchema(db);
  const { results } = await db
    .prepare(
      `SELECT DISTINCT p.day FROM archive_tombstones t JOIN archive_profile_days p ON p.site = t.site AND p.id_kind = t.id_kind AND p.id = t.id
       WHERE t.site = ?1 AND p.day >= ?2 AND (?3 IS NULL OR p.day <= ?3)`,
    )
    .bind(site, since, until)
    .all<{ day: string }>();
  return new Set(results.map((r) => r.day));
}

/**
 * The site's days from `since` to `until` (inclusive; null: no end) with their files, oldest first. One R2 listing
 * of the site from `since` on (1,000 keys a call), not one a day; objects outside the layout are left out.
 */
export async function listExport(bucket: R2Bucket, db: D1Database, site: string, since: string, until: string | null): Promise<ArchiveDay[]> {
  const prefix = sitePrefix(site);
  const erased = daysWithErased(db, site, since, until);
  const byDay = new Map<string, ArchiveFile[]>();
  let cursor: string | undefined;
  // `day=<since>` sorts just before every key of that day, so the listing starts with it.
  list: for (;;) {
    const page = await bucket.list({ prefix, startAfter: `${prefix}day=${since}`, include: ['customMetadata'], ...(cursor ? { cursor } : {}) });
    for (const o of page.objects) {
      const k = parseKey(o.key);
      if (!k || k.site !== site || k.day < since) continue;
      if (until !== null && k.day > until) break list;
      const rows = Number(o.customMetadata?.rows);
      const files = byDay.get(k.day) ?? [];
      files.push({
        name: k.file,
        key: o.key,
        size: o.size,
        etag: o.etag,
        ...(o.customMetadata?.rows !== undefined && Number.isInteger(rows) && rows >= 0 ? { rows } : {}),
        uploaded: o.uploaded.toISOString(),
        filtered: false,
      });
      byDay.set(k.day, files);
    }
    if (!page.truncated) break;
    cursor = page.cursor;
  }
  const hidden = await erased;
  return [...byDay].map(([day, files]) => {
    for (const f of files) f.filtered = hidden.has(day);
    const known = files.every((f) => f.rows !== undefined);
    return { day, files, bytes: files.reduce((n, f) => n + f.size, 0), rows: known ? files.reduce((n, f) => n + f.rows!, 0) : null };
  });
}

export type ServedFile =
  /** the stored object: its body (a stream, or the bytes read to check it), size and etag */
  | { kind: 'stored'; object: R2Object; body: ReadableStream | ArrayBuffer }
  /** re-encoded without the rows of erased people */
  | ({ kind: 'filtered'; object: R2Object } & FilteredFile);

/**
 * One file of a day as the export serves it, or null when the day has no such file. The stored object streams
 * as it is unless a tombstone may hide rows in it: on a day the index names for an erased person, and in any part
 * file while the site has tombstones (a queue message archived but not yet indexed — the consumer writes R2 before
 * D1 — is then still checked row by row; part files are small, one queue message each).
 */
export async function exportFile(bucket: R2Bucket, db: D1Database, site: string, day: string, name: string): Promise<ServedFile | null> {
  const key = `${dayPrefix(site, day)}${name}`;
  const list = await loadTombstones(db, site);
  const check = list.length > 0 && (name.startsWith('part-') || (await daysWithErased(db, site, day, day)).has(day));
  if (!check) {
    const obj = await bucket.get(key);
    return obj && { kind: 'stored', object: obj, body: obj.body };
  }
  const obj = await bucket.get(key);
  if (!obj) return null;
  const bytes = await obj.arrayBuffer();
  const filtered = await withoutErased(bytes, key, tombstoneSet(list));
  return filtered ? { kind: 'filtered', object: obj, ...filtered } : { kind: 'stored', object: obj, body: bytes };
}
