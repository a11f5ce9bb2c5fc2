import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0014_admin_accounts.sql?raw';
import { ADMIN_D1_SCHEMA } from './d1-schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('admin D1 schema', () => {
  it('is what migration 0014 creates', () => {
    expect(ADMIN_D1_SCHEMA.map(norm)).toEqual(migration.replace(/--.*$/gm, '').split(';').map(norm).filter(Boolean));
  });
});
