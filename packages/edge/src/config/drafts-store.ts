// Config drafts in D1 (migration 0013): named work in progress, saved even when invalid, with the version they
// started from so publishing one (PUT /v1/config, If-Match: its baseVersion) is refused when the live config moved.
import type * as z from '../contract/zod.js';
import type { draftSummarySchema } from '../contract/studio.js';
import { ensureConfigVersionsSchema } from './versions-schema.js';

export type DraftSummary = z.infer<typeof draftSummarySchema>;

interface Row {
  name: string;
  base_version: number;
  updated_by: string;
  updated_at: number;
  config?: string;
}

const toSummary = (r: Row): DraftSummary => ({
  name: r.name,
  baseVersion: r.base_version,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listDrafts(db: D1Database): Promise<DraftSummary[]> {
  await ensureConfigVersionsSchema(db);
  const { results } = await db.prepare('SELECT name, base_version, updated_by, updated_at FROM config_drafts ORDER BY updated_at DESC LIMIT 500').all<Row>();
  return results.map(toSummary);
}

export async function getDraft(db: D1Database, name: string): Promise<(DraftSummary & { config: unknown }) | null> {
  await ensureConfigVersionsSchema(db);
  const r = await db.prepare('SELECT name, base_version, updated_by, updated_at, config FROM config_drafts WHERE name = ?').bind(name).first<Row>();
  return r ? { ...toSummary(r), config: JSON.parse(r.config!) } : null;
}

export async function putDraft(db: D1Database, d: { name: string; baseVersion: number; config: string; updatedBy: string; updatedAt: number }): Promise<void> {
  await ensureConfigVersionsSchema(db);
  await db
    .prepare(
      `INSERT INTO config_drafts (name, base_version, config, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET base_version = excluded.base_version, config = excluded.config, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(d.name, d.baseVersion, d.config, d.updatedBy, d.updatedAt)
    .run();
}

/** Whether there was such a draft. */
export async function deleteDraft(db: D1Database, name: string): Promise<boolean> {
  await ensureConfigVersionsSchema(db);
  const r = await db.prepare('DELETE FROM config_drafts WHERE name = ?').bind(name).run();
  return r.meta.changes > 0;
}
