// Applies a module's D1 schema (idempotent CREATE … IF NOT EXISTS statements, kept equal to its migration by a
// test) once per isolate, so a fresh `wrangler dev` needs no migration step. A failure is not remembered: the
// next call tries again.
type Ensure = (db: D1Database) => Promise<unknown>;

/** @param before a schema these statements build on (indexes on the event log need its table first) */
export function schemaOnce(statements: readonly string[], before?: Ensure): Ensure {
  let ready: Promise<unknown> | undefined;
  return (db) => {
    ready ??= (before ? before(db) : Promise.resolve())
      .then(() => db.batch(statements.map((s) => db.prepare(s))))
      .catch((e) => {
        ready = undefined;
        throw e;
      });
    return ready;
  };
}
