import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0002_recs.sql?raw';
import { RECS_SCHEMA } from './schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('recommendation statistics schema', () => {
  it('is the same in the D1 migration and in the Worker', () => {
    expect(migration.split(';').map(norm).filter(Boolean)).toEqual(RECS_SCHEMA.map(norm));
  });
});
