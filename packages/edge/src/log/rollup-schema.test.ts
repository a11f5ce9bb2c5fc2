import { describe, expect, it } from 'vitest';
import rollups from '../../migrations/0006_report_rollups.sql?raw';
import anonymousDays from '../../migrations/0008_report_anonymous_days.sql?raw';
import reportWindow from '../../migrations/0012_report_window.sql?raw';
import { ROLLUP_SCHEMA } from './rollup-schema.js';

const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();

describe('report rollup schema', () => {
  it('is the same in the D1 migrations and in the Worker', () => {
    const statements = [rollups, anonymousDays, reportWindow].join(';').split(';').map(norm).filter(Boolean);
    expect(statements).toEqual(ROLLUP_SCHEMA.map(norm));
  });
});
