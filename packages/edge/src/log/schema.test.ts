import { describe, expect, it } from 'vitest';
import events from '../../migrations/0001_events.sql?raw';
import reports from '../../migrations/0003_reports.sql?raw';
import writePath from '../../migrations/0009_ingest_write_path.sql?raw';
import { REC_CLAIMS_SCHEMA } from '../recs/schema.js';
import { REPORTS_SCHEMA } from '../reports/schema.js';
import { DROPPED_INDEXES, EVENTS_SCHEMA, EVENTS_TABLE, REPORTS_INDEXES } from './schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
const statements = (sql: string) => sql.split(';').map(norm).filter(Boolean);
const dropped = (s: string) => /^DROP INDEX IF EXISTS (\w+)$/.exec(s)?.[1];

describe('event log schema', () => {
  it('is what the D1 migrations leave: 0001 without the indexes 0009 drops, 0003, and the drops', () => {
    const drops = statements(writePath).filter((s) => s.startsWith('DROP'));
    const gone = new Set(drops.map(dropped));
    expect(gone).toEqual(new Set(['events_site_time', 'events_site_name_time']));
    const kept = statements(events).filter((s) => !gone.has(/^CREATE INDEX IF NOT EXISTS (\w+)/.exec(s)?.[1]));
    expect(EVENTS_TABLE.map(norm)).toEqual(kept);
    expect(REPORTS_INDEXES.map(norm)).toEqual(statements(reports));
    expect(REPORTS_SCHEMA).toEqual(REPORTS_INDEXES);
    expect(DROPPED_INDEXES.map(norm)).toEqual(drops);
    expect(EVENTS_SCHEMA).toEqual([...EVENTS_TABLE, ...REPORTS_INDEXES, ...DROPPED_INDEXES]);
  });

  it("keeps 0009's claims table equal to the Worker's", () => {
    expect(statements(writePath).filter((s) => !s.startsWith('DROP'))).toEqual(REC_CLAIMS_SCHEMA.map(norm));
  });
});
