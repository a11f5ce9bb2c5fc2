// The D1 log of webhook attempts: one row per attempt, so "did the cart reminder reach the CRM, and when"
// has an answer. The same statements as migrations/0005_triggers.sql (a test keeps them equal).
import { schemaOnce } from '../log/schema-once.js';

export const TRIGGER_LOG_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS trigger_log (
  site TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  trigger_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  url TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  ms INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (site, idempotency_key, attempt)
)`,
  'CREATE INDEX IF NOT EXISTS trigger_log_site_at ON trigger_log (site, at)',
];

/** Creates the table once per isolate. */
export const ensureTriggerLog = schemaOnce(TRIGGER_LOG_SCHEMA);

export interface TriggerLogRow {
  site: string;
  key: string;
  attempt: number;
  trigger: string;
  kind: string;
  profileId: string;
  url: string;
  /** delivered | retrying | failed | cancelled */
  outcome: string;
  status: number | null;
  error?: string;
  ms: number;
  at: string;
}

export async function logAttempt(db: D1Database, r: TriggerLogRow): Promise<void> {
  await ensureTriggerLog(db);
  await db
    .prepare('INSERT OR REPLACE INTO trigger_log (site, idempotency_key, attempt, trigger_id, kind, profile_id, url, outcome, status, error, ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(r.site, r.key, r.attempt, r.trigger, r.kind, r.profileId, r.url, r.outcome, r.status, r.error ?? null, r.ms, r.at)
    .run();
}

/** Erasure: the attempts of a profile's ids go with the profile (the log names them). */
export async function eraseTriggerLog(db: D1Database, site: string, profileIds: string[]): Promise<void> {
  if (!profileIds.length) return;
  await ensureTriggerLog(db);
  await db.prepare('DELETE FROM trigger_log WHERE site = ? AND profile_id IN (SELECT value FROM json_each(?))').bind(site, JSON.stringify(profileIds)).run();
}

/** Retention: attempts older than the site's retention go, like the event log's rows (daily cron). */
export async function purgeTriggerLog(db: D1Database, site: string, retentionDays: number, now = Date.now()): Promise<void> {
  await ensureTriggerLog(db);
  await db.prepare('DELETE FROM trigger_log WHERE site = ? AND at < ?').bind(site, new Date(now - retentionDays * 86_400_000).toISOString()).run();
}

export const OUTCOMES = ['delivered', 'retrying', 'failed', 'cancelled'] as const;

/** One delivery (all attempts under one idempotency key), as its latest attempt left it. */
export interface Delivery {
  key: string;
  trigger: string;
  kind: string;
  profileId: string;
  url: string;
  outcome: string;
  attempts: number;
  status: number | null;
  error: string | null;
  firstAt: string;
  lastAt: string;
}

/**
 * The most recent deliveries of a site, newest first (by latest attempt).
 * @param filter.trigger only this trigger's; filter.outcome only those whose latest attempt ended so
 */
export async function recentDeliveries(db: D1Database, site: string, filter: { trigger?: string; outcome?: string; limit: number }): Promise<Delivery[]> {
  await ensureTriggerLog(db);
  const { results } = await db
    .prepare(
      `SELECT idempotency_key AS key, trigger_id AS trigger, kind, profile_id AS profileId, url, outcome, attempt AS attempts, status, error, first_at AS firstAt, at AS lastAt FROM (
         SELECT *, row_number() OVER (PARTITION BY idempotency_key ORDER BY attempt DESC) AS rn, min(at) OVER (PARTITION BY idempotency_key) AS first_at
         FROM trigger_log WHERE site = ?1 AND (?2 IS NULL OR trigger_id = ?2))
       WHERE rn = 1 AND (?3 IS NULL OR outcome = ?3) ORDER BY at DESC, key LIMIT ?4`,
    )
    .bind(site, filter.trigger ?? null, filter.outcome ?? null, filter.limit)
    .all<Delivery>();
  return results;
}
