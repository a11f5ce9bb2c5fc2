// The segment entries and exits a batch caused, kept by the profile's writer for the batch's retry. The merge
// derives them once; when the log write after it fails (or the Worker dies before it), the client's retry
// finds every event already applied, derives nothing, and the entries would never reach the log and the
// reports. The retry gets them from here instead; the log drops repeats by messageId.
import type { AcceptedEvent } from './apply.js';

/** Batches kept: a retry comes within minutes, and what is older was logged long ago. */
const KEEP_BATCHES = 100;

export class DerivedEvents {
  constructor(private sql: SqlStorage) {}

  /** Inside the writer's transaction: what the batch whose first new event is `key` derived. */
  remember(key: string | undefined, events: AcceptedEvent[]): void {
    if (!key || !events.length) return;
    this.sql.exec('CREATE TABLE IF NOT EXISTS derived (message_id TEXT PRIMARY KEY, events TEXT NOT NULL)');
    this.sql.exec('INSERT OR REPLACE INTO derived (message_id, events) VALUES (?, ?)', key, JSON.stringify(events));
    this.sql.exec('DELETE FROM derived WHERE rowid <= (SELECT max(rowid) FROM derived) - ?', KEEP_BATCHES);
  }

  /** What earlier batches derived, for the repeated events among `repeats` (none in a first delivery). */
  of(repeats: string[]): AcceptedEvent[] {
    if (!repeats.length) return [];
    if (!this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived'").toArray().length) return [];
    const rows = this.sql.exec<{ events: string }>('SELECT events FROM derived WHERE message_id IN (SELECT value FROM json_each(?))', JSON.stringify(repeats));
    return rows.toArray().flatMap((r) => JSON.parse(r.events) as AcceptedEvent[]);
  }
}
