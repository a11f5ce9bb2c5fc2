import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0013_config_versions.sql?raw';
import { CONFIG_VERSIONS_SCHEMA } from './versions-schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('config versions D1 schema', () => {
  it('is what migration 0013 creates', () => {
    expect(CONFIG_VERSIONS_SCHEMA.map(norm)).toEqual(migration.replace(/--.*$/gm, '').split(';').map(norm).filter(Boolean));
  });
});
