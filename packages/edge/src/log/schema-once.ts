// Applies a module's D1 schema (idempotent CREATE … IF NOT EXISTS statements, kept equal to its migration by a
// test) once per isolate, so a fresh `wrangler dev` needs no migration step. A failure is not remembered: the
// next call tries again.
//
// Calls never wait on a run another call started: that promise belongs to another request, and workerd cancels
// a request's continuations once the request that created the promise has finished ("the Worker's code had hung",
// a 500). Until one run has succeeded, each call runs the statements itself (they are idempotent).
type Ensure = (db: D1Database) => Promise<unknown>;

/** @param before a schema these statements build on (indexes on the event log need its table first) */
export function schemaOnce(statements: readonly string[], before?: Ensure): Ensure {
  let done = false;
  return async (db) => {
    if (done) return;
    if (before) await before(db);
    await db.batch(statements.map((s) => db.prepare(s)));
    done = true;
  };
}
