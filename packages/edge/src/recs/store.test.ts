import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS } from '../log/json-chunks.js';
import { recStatements, type RecDerivation } from './store.js';

/** A D1 stand-in that keeps what each statement was bound with. */
function recordingDb() {
  const bound: unknown[][] = [];
  const db = { prepare: () => ({ bind: (...values: unknown[]) => (bound.push(values), {}) }) } as unknown as D1Database;
  return { db, bound };
}

describe('recStatements', () => {
  it('binds no value past the chunk size, however many pairs a batch of orders brings, and loses no row', () => {
    const products = Array.from({ length: 60 }, (_, i) => `product-${i}-${'x'.repeat(60)}`);
    const pairs = products.flatMap((a) => products.filter((b) => b !== a).map((b) => ['bought', a, b, 1] as [string, string, string, number]));
    const derivations = Array.from({ length: 20 }, (_, i) => ({ claim: `visitor|order-${i}`, items: products.map((p) => [p, 1, 1]), pairs })) as RecDerivation[];
    const { db, bound } = recordingDb();
    recStatements(db, 'demo', derivations, '2026-06-01T00:00:00.000Z');
    const sizes = bound.flatMap((values) => values.filter((v): v is string => typeof v === 'string').map((v) => v.length));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CHUNK_CHARS);
    const rows = bound.slice(1).flatMap((values) => JSON.parse(values[1] as string) as unknown[][]);
    expect(rows.filter((r) => r.length === 5)).toHaveLength(20 * pairs.length);
    expect(rows.filter((r) => r.length === 4)).toHaveLength(20 * products.length);
  });
});
