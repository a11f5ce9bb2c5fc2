import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0002_recs.sql?raw';
import kvMigration from '../../migrations/0010_rec_kv.sql?raw';
import { REC_KV_SCHEMA, RECS_SCHEMA } from './schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
const statements = (sql: string) => sql.split(';').map(norm).filter(Boolean);

describe('recommendation statistics schema', () => {
  it('is the same in the D1 migration and in the Worker', () => {
    expect(statements(migration)).toEqual(RECS_SCHEMA.map(norm));
  });

  it("has the KV copies' tables of 0010 in the Worker, and 0010 marks every existing partner list for its first copy", () => {
    const [backfill, ...rest] = statements(kvMigration).reverse();
    expect(rest.reverse()).toEqual(REC_KV_SCHEMA.map(norm));
    expect(backfill).toBe('INSERT OR IGNORE INTO rec_dirty (site, kind, item, since, seq) SELECT DISTINCT site, kind, a, 0, 0 FROM rec_pairs');
  });
});
