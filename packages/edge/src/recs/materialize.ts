// The writer's half of the recommendation statistics' KV copies: D1 (rec_items, rec_pairs) stays the source of
// truth, added to by atomic upserts (recs/store.ts), and after each batch of increments the writer copies what
// pages read into KV — the top lists, and the partner lists of the products whose pairs changed — so no page,
// decide or recommendation request reads D1 (recs/stats-read.ts), wherever its visitor is.
//
// KV allows one write a second per key and is read through caches for up to a minute, so copies are rewritten
// by passes, not by every batch: a batch marks the partner lists it changed (rec_dirty, in D1), and the one
// consumer that claims a site's pass (rec_leases: one claim per PASS_EVERY_MS) writes up to PASS_KEYS of them,
// oldest mark first, then clears the marks no batch renewed meanwhile. The top lists are claimed the same way,
// once per TOP_EVERY_MS. A mark outlives a failed write, a lost claim or a full pass: `retryInMs` says when to
// call again (the consumer asks the Queue for that pass, log/consume.ts), and the nightly cron sweeps what is left.
import { jsonChunks } from '../log/json-chunks.js';
import { schemaOnce } from '../log/schema-once.js';
import { partnerKey, topKey, type Ranked, type TopValue } from './kv-layout.js';
import { REC_KV_SCHEMA } from './schema.js';
import type { PairKind, RecIncrements } from './stats.js';
import { ensureSchema as ensureRecs } from './store.js';

/** Products per top list (popular, trending), and partners per product list: the depth pages use. */
export const TOP = 2_000;
export const PARTNERS = 100;
/**
 * Ids longer than a catalog product id (contract/catalog.ts productIdSchema: at most 100 characters) stay out of
 * the copies: no page can show them, and events may carry ids of up to 32 KB, which would take a top list past
 * KV's 25 MiB a value.
 */
export const ID_MAX = 100;
/** Top lists are rewritten at most once a minute per site: readers hold them a minute in each isolate anyway. */
export const TOP_EVERY_MS = 60_000;
/** One partner pass per site every 5 s writes each key at most once in that time (KV: one write a second). */
export const PASS_EVERY_MS = 5_000;
/** Partner lists per pass: well inside the 1,000 KV operations an invocation may make. */
export const PASS_KEYS = 250;
/** A claim stamped further ahead than this was made on another clock (a test's, a skewed one): it is free. */
const SKEW_MS = 60_000;

/** A partner list whose pairs changed: its kind and the product it belongs to. */
export type Touched = readonly [kind: PairKind, item: string];

export interface MaterializeOptions {
  topEveryMs?: number;
  passEveryMs?: number;
  passKeys?: number;
}

export interface Materialized {
  /** the top lists were rewritten by this call */
  top: boolean;
  /** partner lists written by this call, and those whose write failed (they stay marked) */
  written: number;
  failed: number;
  /** marked lists remain that this call did not write: call again with no new items after this long (settleStats) */
  retryInMs?: number;
}

const ensureSchema = schemaOnce(REC_KV_SCHEMA, ensureRecs);

/** The partner lists the applied derivations changed: each pair row lists both directions, so its `a` is enough. */
export function touchedBy(derivations: readonly Pick<RecIncrements, 'pairs'>[]): Touched[] {
  const seen = new Map<string, Touched>();
  for (const d of derivations) for (const [kind, a] of d.pairs) seen.set(JSON.stringify([kind, a]), [kind, a]);
  return [...seen.values()];
}

function claim(db: D1Database, site: string, what: 'top' | 'partners', token: string, now: number, everyMs: number) {
  // Only a pass with something to write claims: a batch of popularity alone leaves the partner claim free.
  const wanted = what === 'partners' ? 'EXISTS (SELECT 1 FROM rec_dirty WHERE site = ?1)' : 'true';
  return db
    .prepare(
      `INSERT INTO rec_leases (site, what, at, token) SELECT ?1, ?2, ?3, ?4 WHERE ${wanted}
       ON CONFLICT (site, what) DO UPDATE SET at = excluded.at, token = excluded.token
       WHERE rec_leases.at <= ?3 - ?5 OR rec_leases.at > ?3 + ?6`,
    )
    .bind(site, what, now, token, everyMs, SKEW_MS);
}

/**
 * Marks the partner lists `touched` (from touchedBy) as behind D1, and — when this call claims them — rewrites
 * the site's top lists and a pass of marked partner lists in KV. Call it after the D1 batch that applied the
 * increments has committed (a mark must follow its increments, or a pass could clear it before they are seen).
 * D1 errors throw (the marks are then not made: retry the batch; its increments are claimed once); KV errors
 * are counted in `failed` and leave their marks for the next pass.
 */
export async function materializeStats(
  db: D1Database,
  kv: KVNamespace,
  site: string,
  touched: readonly Touched[],
  now: number = Date.now(),
  o: MaterializeOptions = {},
): Promise<Materialized> {
  if (typeof site !== 'string' || !site) throw new Error(`materializeStats: site must be a non-empty string, got ${JSON.stringify(site)}`);
  touched.forEach(([kind, item], i) => {
    if (kind !== 'viewed' && kind !== 'bought') throw new Error(`materializeStats: touched[${i}]: kind ${JSON.stringify(kind)} is not "viewed" or "bought"`);
    if (typeof item !== 'string') throw new Error(`materializeStats: touched[${i}]: the item is not a string`);
  });
  const { topEveryMs = TOP_EVERY_MS, passEveryMs = PASS_EVERY_MS, passKeys = PASS_KEYS } = o;
  await ensureSchema(db);
  const token = crypto.randomUUID();
  const marks = jsonChunks(touched).map((json) =>
    db
      .prepare(
        `INSERT INTO rec_dirty (site, kind, item, since, seq)
         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2, 0 FROM json_each(?3) WHERE true
         ON CONFLICT (site, kind, item) DO UPDATE SET seq = seq + 1`,
      )
      .bind(site, now, json),
  );
  // One transaction: the marks and both claims. The lists are read only by a call that won a claim — in a query
  // of its own: a claim test inside the list query made SQLite scan every row when it failed (LIMIT never met).
  const claimed = await db.batch([
    ...marks,
    claim(db, site, 'top', token, now, topEveryMs),
    claim(db, site, 'partners', token, now, passEveryMs),
    db.prepare('SELECT what FROM rec_leases WHERE site = ?1 AND token = ?2').bind(site, token),
  ]);
  const won = new Set((claimed.at(-1)!.results as { what: string }[]).map((r) => r.what));
  const reads: D1PreparedStatement[] = [];
  if (won.has('top'))
    reads.push(
      db.prepare('SELECT item, popular FROM rec_items WHERE site = ?1 AND length(item) <= ?2 ORDER BY popular DESC, item LIMIT ?3').bind(site, ID_MAX, TOP),
      db.prepare('SELECT item, trend FROM rec_items WHERE site = ?1 AND length(item) <= ?2 ORDER BY trend DESC, item LIMIT ?3').bind(site, ID_MAX, TOP),
    );
  if (won.has('partners'))
    // Marks and lists in one statement, so one snapshot: a mark whose seq this pass read came before the pairs it read.
    reads.push(
      db
        .prepare(
          `SELECT d.kind, d.item, d.seq,
             (SELECT json_group_array(json_array(b, n)) FROM
               (SELECT b, n FROM rec_pairs p WHERE p.site = d.site AND p.kind = d.kind AND p.a = d.item AND length(p.b) <= ?2 ORDER BY n DESC, b LIMIT ?3)) AS list
           FROM rec_dirty d WHERE d.site = ?1 ORDER BY d.since, d.kind, d.item LIMIT ?4`,
        )
        .bind(site, ID_MAX, PARTNERS, passKeys),
    );
  const lists = reads.length ? (await db.batch(reads)).map((r) => r.results) : [];
  const [popular, trending] = won.has('top') ? lists : [];
  const dirty = won.has('partners') ? lists.at(-1)! : [];
  const out: Materialized = { top: false, written: 0, failed: 0 };
  const errors: unknown[] = [];

  const writes: Promise<unknown>[] = [];
  if (won.has('top')) {
    const ranked = (rows: unknown[], col: string): Ranked => (rows as Record<string, unknown>[]).map((r) => [r.item as string, r[col] as number]);
    const value: TopValue = { v: 1, at: now, popular: ranked(popular!, 'popular'), trending: ranked(trending!, 'trend') };
    writes.push(
      topKey(site)
        .then((key) => kv.put(key, JSON.stringify(value)))
        .then(
          () => void (out.top = true),
          (e) => errors.push(e),
        ),
    );
  }
  const done: [string, string, number][] = [];
  for (const row of dirty as { kind: PairKind; item: string; seq: number; list: string }[]) {
    const list = (JSON.parse(row.list) as Ranked).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    writes.push(
      partnerKey(site, row.kind, row.item)
        .then((key) => kv.put(key, JSON.stringify(list)))
        .then(
          () => void done.push([row.kind, row.item, row.seq]),
          (e) => errors.push(e),
        ),
    );
  }
  await Promise.all(writes);
  out.written = done.length;
  out.failed = dirty.length - done.length;
  if (errors.length) console.error(`attune: ${errors.length} KV writes of recommendation statistics failed (site ${site}); they are retried by the next pass`, errors[0]);

  let left = false;
  if (won.has('partners')) {
    const cleared = await db.batch([
      // Only the marks this pass read: one renewed since (seq moved on) stays for the next pass.
      ...jsonChunks(done).map((json) =>
        db
          .prepare(
            `DELETE FROM rec_dirty WHERE site = ?1 AND (kind, item, seq) IN
               (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?2))`,
          )
          .bind(site, json),
      ),
      db.prepare('SELECT EXISTS (SELECT 1 FROM rec_dirty WHERE site = ?1) AS left').bind(site),
    ]);
    left = (cleared.at(-1)!.results[0] as { left: number }).left === 1;
  } else left = touched.length > 0; // another consumer's pass may have read before these marks were made
  if (left) out.retryInMs = passEveryMs + 100;
  return out;
}

export interface SettleOptions extends MaterializeOptions {
  /** how to wait (Workers: scheduler.wait) */
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
  /** calls at most (a pass every PASS_EVERY_MS: 24 is two minutes) */
  rounds?: number;
}

/**
 * Calls materializeStats again while `after` says marked lists remain, so a burst's last marks reach KV without
 * waiting for the next batch; for the nightly cron (the consumer asks the Queue for one pass at a time instead).
 */
export async function settleStats(db: D1Database, kv: KVNamespace, site: string, after: Materialized, o: SettleOptions = {}): Promise<Materialized> {
  const { wait = (ms: number) => scheduler.wait(ms), now = Date.now, rounds = 24, ...materialize } = o;
  let last = after;
  for (let i = 0; i < rounds && last.retryInMs !== undefined; i++) {
    await wait(last.retryInMs);
    last = await materializeStats(db, kv, site, [], now(), materialize);
  }
  return last;
}
