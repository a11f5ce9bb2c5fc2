// What a profile export holds beside the profile and its events: the webhook deliveries about the person
// and the trigger timers still waiting to fire. A receiver is named by its origin only — a webhook URL's
// path and query often carry a credential — and no webhook secret (not even its name) is exported.
import type { TimerRow } from '../profile/timers.js';
import { ensureTriggerLog } from '../triggers/log.js';

export interface AttemptRow {
  key: string;
  attempt: number;
  trigger: string;
  kind: string;
  url: string;
  outcome: string;
  status: number | null;
  error: string | null;
  at: string;
}

export interface ExportedDelivery {
  id: string;
  trigger: string;
  kind: string;
  receiver: string;
  /** as the latest attempt left it */
  outcome: string;
  attempts: { attempt: number; outcome: string; status: number | null; error: string | null; at: string }[];
}

export interface ExportedTimer {
  trigger: string;
  kind: string;
  receiver: string;
  due: string;
  scheduledAt: string;
  attempts: number;
  data: unknown;
}

const receiverOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
};

/** Every logged attempt about these profile ids (the log names the profile as its writer knew it). */
export async function attemptsAbout(db: D1Database, site: string, profileIds: string[]): Promise<AttemptRow[]> {
  await ensureTriggerLog(db);
  const { results } = await db
    .prepare(
      `SELECT idempotency_key AS key, attempt, trigger_id AS trigger, kind, url, outcome, status, error, at FROM trigger_log
       WHERE site = ? AND profile_id IN (SELECT value FROM json_each(?)) ORDER BY at, key, attempt`,
    )
    .bind(site, JSON.stringify(profileIds))
    .all<AttemptRow>();
  return results;
}

/** Pure: attempts grouped into deliveries (one per idempotency key), oldest first. */
export function deliveriesForExport(rows: AttemptRow[]): ExportedDelivery[] {
  const byKey = new Map<string, ExportedDelivery>();
  for (const r of rows) {
    const d = byKey.get(r.key) ?? { id: r.key, trigger: r.trigger, kind: r.kind, receiver: receiverOf(r.url), outcome: r.outcome, attempts: [] };
    d.attempts.push({ attempt: r.attempt, outcome: r.outcome, status: r.status, error: r.error, at: r.at });
    d.outcome = r.outcome;
    byKey.set(r.key, d);
  }
  return [...byKey.values()];
}

/** Pure: the pending timers as the person may read them; the stored trigger config stays behind. */
export function timersForExport(rows: TimerRow[]): ExportedTimer[] {
  return rows.map((r) => {
    const p = JSON.parse(r.payload) as { trigger: { id: string; on: string; webhook: { url: string } }; data: unknown; scheduledAt: string };
    return {
      trigger: p.trigger.id,
      kind: p.trigger.on,
      receiver: receiverOf(p.trigger.webhook.url),
      due: new Date(r.due).toISOString(),
      scheduledAt: p.scheduledAt,
      attempts: r.attempts,
      data: p.data,
    };
  });
}
