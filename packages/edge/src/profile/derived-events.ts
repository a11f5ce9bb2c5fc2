// What a batch derived beyond its events — segment entries and exits, and recommendation increments — kept by
// the profile's writer for the batch's retry. The merge derives them once; when the log write after it fails
// (or the Worker dies before it), the client's retry finds every event already applied, derives nothing, and
// they would never reach D1. The retry gets them from here instead; the log drops repeated entries by
// messageId, and the increments are counted once by their claim (recs/store.ts).
import type { RecDerivation } from '../recs/store.js';
import type { AcceptedEvent } from '../contract/events.js';

/** Batches kept: a retry comes within minutes, and what is older was logged long ago. */
const KEEP_BATCHES = 100;

export interface Derived {
  events: AcceptedEvent[];
  recs: RecDerivation[];
}

const hasAny = (d: Derived) => d.events.length > 0 || d.recs.length > 0;

export class DerivedEvents {
  constructor(private sql: SqlStorage) {}

  /** Inside the writer's transaction: what the batch whose first new event is `key` derived. */
  remember(key: string | undefined, derived: Derived): void {
    if (!key || !hasAny(derived)) return;
    this.sql.exec('CREATE TABLE IF NOT EXISTS derived (message_id TEXT PRIMARY KEY, events TEXT NOT NULL)');
    this.sql.exec('INSERT OR REPLACE INTO derived (message_id, events) VALUES (?, ?)', key, JSON.stringify(derived));
    this.sql.exec('DELETE FROM derived WHERE rowid <= (SELECT max(rowid) FROM derived) - ?', KEEP_BATCHES);
  }

  /** What earlier batches derived, for the repeated events among `repeats` (none in a first delivery). */
  of(repeats: string[]): Derived {
    const out: Derived = { events: [], recs: [] };
    if (!repeats.length) return out;
    if (!this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived'").toArray().length) return out;
    const rows = this.sql.exec<{ events: string }>('SELECT events FROM derived WHERE message_id IN (SELECT value FROM json_each(?))', JSON.stringify(repeats));
    for (const r of rows.toArray()) {
      const d = JSON.parse(r.events) as Derived | AcceptedEvent[]; // an array: kept before increments were
      out.events.push(...(Array.isArray(d) ? d : d.events));
      if (!Array.isArray(d)) out.recs.push(...d.recs);
    }
    return out;
  }
}
