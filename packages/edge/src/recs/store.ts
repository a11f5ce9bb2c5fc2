// Recommendation statistics in D1: each profile's writer derives the increments of its batch (it holds the
// shopper's earlier views and orders), and the ingest adds them in the same D1 batch as the log. Serving never
// reads them here: recs/materialize.ts copies what pages need into KV, and recs/stats-read.ts reads the copies.
//
// Why D1: the increments are SQL upserts (`n = n + excluded.n`), atomic under concurrent ingests — a KV
// read-modify-write would lose counts (DESIGN.md).
import { ensureSchema as ensureEventLog } from '../log/event-log.js';
import { jsonChunks } from '../log/json-chunks.js';
import { schemaOnce } from '../log/schema-once.js';
import { REC_CLAIMS_SCHEMA, RECS_SCHEMA } from './schema.js';
import type { RecIncrements } from './stats.js';

export const ensureSchema = schemaOnce([...RECS_SCHEMA, ...REC_CLAIMS_SCHEMA], ensureEventLog);

/** One profile writer's increments for one batch, and the id that claims them (counted once, by that id). */
export interface RecDerivation extends RecIncrements {
  claim: string;
}

/**
 * The statements that add the writers' increments, for the ingest's one D1 batch with the log (a transaction).
 * Counted once: each derivation's claim is inserted with this attempt's `token`, and only the rows whose claim
 * carries it are added — a retry after a lost answer finds the claims of the first attempt and adds nothing.
 */
export function recStatements(db: D1Database, site: string, derivations: readonly RecDerivation[], at: string): D1PreparedStatement[] {
  const live = derivations.filter((d) => d.items.length || d.pairs.length);
  if (!live.length) return [];
  const token = crypto.randomUUID();
  // total(), not sum(): trend increments grow as 2^(days since the epoch / 7) and JSON gives them as integers, whose
  // sum() raised 'integer overflow' from early 2027 (ATTUNE_TEST_CLOCK=2027-02-01 found it); total() adds as REAL.
  // Cut to D1's bound-value cap: a batch of shop events (orders pair every product bought together) outgrew one value.
  const rows = <T extends unknown[]>(pick: (d: RecDerivation) => T[]) => jsonChunks(live.flatMap((d) => pick(d).map((r) => [d.claim, ...r])));
  const claimed = `JOIN rec_claims c ON c.site = ?1 AND c.id = json_extract(j.value, '$[0]') AND c.token = ?3 WHERE true`;
  const statements = [
    db.prepare('INSERT OR IGNORE INTO rec_claims (site, id, at, token) SELECT ?1, value, ?2, ?3 FROM json_each(?4)').bind(site, at, token, JSON.stringify(live.map((d) => d.claim))),
    ...rows((d) => d.items).map((chunk) =>
      db
        .prepare(
          `INSERT INTO rec_items (site, item, popular, trend)
           SELECT ?1, json_extract(j.value, '$[1]') AS item, total(json_extract(j.value, '$[2]')), total(json_extract(j.value, '$[3]')) FROM json_each(?2) j ${claimed} GROUP BY item
           ON CONFLICT (site, item) DO UPDATE SET popular = popular + excluded.popular, trend = trend + excluded.trend`,
        )
        .bind(site, chunk, token),
    ),
  ];
  if (live.some((d) => d.pairs.length))
    statements.push(
      ...rows((d) => d.pairs).map((chunk) =>
        db
          .prepare(
            `INSERT INTO rec_pairs (site, kind, a, b, n)
             SELECT ?1, json_extract(j.value, '$[1]') AS kind, json_extract(j.value, '$[2]') AS a, json_extract(j.value, '$[3]') AS b, sum(json_extract(j.value, '$[4]'))
             FROM json_each(?2) j ${claimed} GROUP BY kind, a, b
             ON CONFLICT (site, kind, a, b) DO UPDATE SET n = n + excluded.n`,
          )
          .bind(site, chunk, token),
      ),
    );
  return statements;
}

/**
 * Deletes the claims made more than `retentionDays` + 1 day ago; run by the nightly cron. Safe: a claim is
 * made after its events were received, and the ingest refuses events older than the retention (or more than
 * minutes in the future), so events whose claim is gone can never be accepted again to be counted twice.
 * The extra day covers client clocks running ahead. (rec_applied: the per-event claims of earlier versions.)
 */
export async function purgeRecClaims(db: D1Database, site: string, retentionDays: number, now = Date.now()): Promise<number> {
  await ensureSchema(db);
  const before = new Date(now - (retentionDays + 1) * 86_400_000).toISOString();
  const done = await db.batch(['rec_claims', 'rec_applied'].map((t) => db.prepare(`DELETE FROM ${t} WHERE site = ?1 AND at < ?2`).bind(site, before)));
  return done.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
