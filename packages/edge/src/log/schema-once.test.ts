import { describe, expect, it } from 'vitest';
import { schemaOnce } from './schema-once.js';

/** A D1 stand-in that records the statements it ran and fails its first `failures` batches. */
function fakeDb(failures = 0) {
  const ran: string[] = [];
  const db = {
    prepare: (s: string) => s,
    batch: async (stmts: string[]) => {
      if (failures-- > 0) throw new Error('D1 is down');
      ran.push(...stmts);
      return [];
    },
  };
  return { db: db as unknown as D1Database, ran };
}

describe('schemaOnce', () => {
  it('applies the statements until a run succeeded, after the schema they build on, then never again', async () => {
    const { db, ran } = fakeDb();
    const base = schemaOnce(['CREATE TABLE a']);
    const ensure = schemaOnce(['CREATE INDEX b ON a'], base);
    await ensure(db);
    await Promise.all([ensure(db), ensure(db)]);
    expect(ran).toEqual(['CREATE TABLE a', 'CREATE INDEX b ON a']);
  });

  // Concurrent first calls come from different requests: sharing one promise would let workerd cancel the others.
  it('lets concurrent first calls each run the (idempotent) statements rather than wait on one another', async () => {
    const { db, ran } = fakeDb();
    const ensure = schemaOnce(['CREATE TABLE a']);
    await Promise.all([ensure(db), ensure(db)]);
    expect(ran).toEqual(['CREATE TABLE a', 'CREATE TABLE a']);
  });

  it('does not remember a failure: the next call tries again', async () => {
    const { db, ran } = fakeDb(1);
    const ensure = schemaOnce(['CREATE TABLE a']);
    await expect(ensure(db)).rejects.toThrow('D1 is down');
    await ensure(db);
    expect(ran).toEqual(['CREATE TABLE a']);
  });
});
