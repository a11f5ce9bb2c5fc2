import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0001_events.sql?raw';
import { EVENTS_SCHEMA } from './schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('event log schema', () => {
  it('is the same in the D1 migration and in the Worker', () => {
    const statements = migration.split(';').map(norm).filter(Boolean);
    expect(statements).toEqual(EVENTS_SCHEMA.map(norm));
  });
});
