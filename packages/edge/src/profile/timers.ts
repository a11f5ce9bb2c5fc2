// Trigger timers of one profile, kept in its writer's SQLite and fired by the writer's single alarm, which
// is set to the earliest of these and the retention expiry (writer.scheduleExpiry). One row per occurrence
// (its key is the webhook's idempotency key), so a timer fires once however often the batch that made it
// is retried; delivery happens in the alarm, never on the ingest path.
import type { Profile } from '../contract/profile.js';
import type { Trigger } from '../contract/triggers.js';
import { planTriggers, stillHolds, type TimerPlan } from '../triggers/conditions.js';
import { logAttempt } from '../triggers/log.js';
import { deliverWebhook, MAX_ATTEMPTS, RETRY_DELAYS_MS, type WebhookBody } from '../triggers/webhook.js';
import type { AcceptedEvent } from '../contract/events.js';

export type TimerStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';
export interface TimerRow {
  key: string;
  trigger_id: string;
  due: number;
  /** JSON: { trigger, data, scheduledAt } — the trigger as configured when it was scheduled */
  payload: string;
  attempts: number;
  status: TimerStatus;
}
interface Payload {
  trigger: Trigger;
  data: Record<string, unknown>;
  scheduledAt: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS timers (
  key TEXT PRIMARY KEY,
  trigger_id TEXT NOT NULL,
  due INTEGER NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL
)`;
/** Settled rows kept per profile, newest first: enough to see what fired, bounded like the profile. */
const KEEP_SETTLED = 200;

export interface TimerEnv {
  EVENTS: D1Database;
  [secret: string]: unknown;
}

export class TriggerTimers {
  constructor(private sql: SqlStorage) {}

  // Checked each time, not cached: the writer's wipe() drops every table at once.
  private exists(): boolean {
    return this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timers'").toArray().length > 0;
  }

  /** After a merge: schedules and cancels what the batch changed. Synchronous (inside the writer's atomic section). */
  afterMerge(p: Profile, triggers: readonly Trigger[] | undefined, events: AcceptedEvent[], fresh: readonly string[], membership: AcceptedEvent[], replenishDays?: Record<string, number>) {
    if (!triggers?.length) return;
    const applied = new Set(fresh);
    const plan = planTriggers(triggers, p, [...events.filter((e) => applied.has(e.messageId)), ...membership], Date.now(), replenishDays);
    // Created by the first schedule only: a visitor without consent (cancels only) leaves no table behind.
    if (!plan.schedule.length && !this.exists()) return;
    this.sql.exec(SCHEMA);
    for (const id of plan.cancel) this.sql.exec("UPDATE timers SET status = 'cancelled' WHERE trigger_id = ? AND status = 'pending'", id);
    const byId = new Map(triggers.map((t) => [t.id, t]));
    for (const s of plan.schedule) this.put(s, byId.get(s.trigger)!);
  }

  private put(s: TimerPlan, trigger: Trigger) {
    if (s.supersedes)
      this.sql.exec("UPDATE timers SET status = 'cancelled' WHERE status = 'pending' AND substr(key, 1, length(?1)) = ?1 AND key != ?2", s.supersedes, s.key);
    const payload = JSON.stringify({ trigger, data: s.data, scheduledAt: new Date().toISOString() } satisfies Payload);
    // A delivered or failed occurrence stays settled: re-planning it (a retried batch) must not send it again.
    this.sql.exec(
      `INSERT INTO timers (key, trigger_id, due, payload, attempts, status) VALUES (?, ?, ?, ?, 0, 'pending')
       ON CONFLICT (key) DO UPDATE SET due = excluded.due, payload = excluded.payload, status = 'pending', attempts = 0
       WHERE timers.status IN ('pending', 'cancelled')`,
      s.key, s.trigger, s.due, payload,
    );
  }

  /** The earliest pending due time, or Infinity. */
  earliest(): number {
    if (!this.exists()) return Infinity;
    const r = this.sql.exec<{ due: number | null }>("SELECT min(due) AS due FROM timers WHERE status = 'pending'").one();
    return r.due ?? Infinity;
  }

  rows(): TimerRow[] {
    return this.exists() ? this.sql.exec<TimerRow & Record<string, SqlStorageValue>>('SELECT * FROM timers ORDER BY due').toArray() : [];
  }

  /**
   * Fires every pending timer that is due: re-checks its condition on the current profile (cancelled when it
   * no longer holds), sends it, and reschedules a failure with backoff until MAX_ATTEMPTS. Never throws.
   */
  async runDue(p: Profile | null, env: TimerEnv, now = Date.now()): Promise<void> {
    if (!this.exists()) return;
    const due = this.sql.exec<TimerRow & Record<string, SqlStorageValue>>("SELECT * FROM timers WHERE status = 'pending' AND due <= ? ORDER BY due", now).toArray();
    for (const row of due) {
      const { trigger, data, scheduledAt } = JSON.parse(row.payload) as Payload;
      const log = (outcome: string, attempt: number, status: number | null, error: string | undefined, ms: number) =>
        p &&
        logAttempt(env.EVENTS, { site: p.site, key: idempotencyKey(p, row.key), attempt, trigger: trigger.id, kind: trigger.on, profileId: p.id, url: trigger.webhook.url, outcome, status, error, ms, at: new Date().toISOString() }).catch(
          (e) => console.error('attune: cannot log a trigger attempt', e),
        );
      if (!p || !stillHolds(trigger, p, scheduledAt, data)) {
        this.settle(row.key, 'cancelled', row.attempts);
        await log('cancelled', row.attempts, null, 'the condition no longer holds', 0);
        continue;
      }
      const body: WebhookBody = {
        id: idempotencyKey(p, row.key),
        trigger: trigger.id,
        kind: trigger.on,
        site: p.site,
        profileId: p.id,
        ...(p.ids.userId ? { userId: p.ids.userId } : {}),
        ...(p.ids.anonymousIds[0] ? { anonymousId: p.ids.anonymousIds[0] } : {}),
        firedAt: new Date(now).toISOString(),
        data,
      };
      // The secret by name, the URL and every redirect checked again: the trigger may be from an older config.
      const r = await deliverWebhook(trigger.webhook, env, body);
      const attempt = row.attempts + 1;
      const outcome = r.ok ? 'delivered' : attempt >= MAX_ATTEMPTS ? 'failed' : 'retrying';
      if (outcome === 'retrying') this.sql.exec('UPDATE timers SET attempts = ?, due = ? WHERE key = ?', attempt, Date.now() + RETRY_DELAYS_MS[attempt - 1]!, row.key);
      else this.settle(row.key, outcome, attempt);
      // A birthday comes back every year: arm the next one now, not only when the visitor is next seen.
      if (outcome !== 'retrying' && trigger.on === 'birthday')
        for (const next of planTriggers([trigger], p, [], Date.UTC(Number(data.year) + 1, 0, 1)).schedule) this.put(next, trigger);
      await log(outcome, attempt, r.status, r.error, r.ms);
    }
    // Settled rows only serve as the record that an occurrence already fired: keep the newest.
    this.sql.exec(`DELETE FROM timers WHERE status != 'pending' AND key NOT IN (SELECT key FROM timers WHERE status != 'pending' ORDER BY due DESC LIMIT ${KEEP_SETTLED})`);
  }

  private settle(key: string, status: TimerStatus, attempts: number) {
    this.sql.exec('UPDATE timers SET status = ?, attempts = ? WHERE key = ?', status, attempts, key);
  }
}

/** Unique per site, profile and occurrence; the same on every retry. */
export const idempotencyKey = (p: Profile, key: string) => `${p.site}:${p.id}:${key}`;
