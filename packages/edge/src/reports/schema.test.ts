import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0003_reports.sql?raw';
import { REPORTS_SCHEMA } from './schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('reports schema', () => {
  it('is the same in the D1 migration and in the Worker', () => {
    expect(migration.split(';').map(norm).filter(Boolean)).toEqual(REPORTS_SCHEMA.map(norm));
  });
});
