import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0011_archive.sql?raw';
import { ARCHIVE_D1_SCHEMA } from './d1-schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('archive D1 schema', () => {
  it('is what migration 0011 creates', () => {
    expect(ARCHIVE_D1_SCHEMA.map(norm)).toEqual(migration.replace(/--.*$/gm, '').split(';').map(norm).filter(Boolean));
  });
});
