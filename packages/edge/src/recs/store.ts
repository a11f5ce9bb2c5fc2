// Recommendation statistics in D1: the ingest calls onEventsAccepted after it stored a batch; serving reads
// the top lists and the partners of a few seed products, cached in the isolate for a minute, so most
// requests touch D1 once at most.
//
// Why D1: the increments are SQL upserts (`n = n + excluded.n`), atomic under concurrent ingests — a KV
// read-modify-write would lose counts (DESIGN.md) — and co-occurrence needs each shopper's earlier views and
// orders, which the event log in the same database already holds.
import { ensureSchema as ensureEventLog } from '../log/event-log.js';
import { schemaOnce } from '../log/schema-once.js';
import { RECS_SCHEMA } from './schema.js';
import { itemIncrements, pairIncrements, signalsOf, VIEW_WINDOW_MS, type EventLike, type PairKind, type RecStats, type Signal } from './stats.js';

const ensureSchema = schemaOnce(RECS_SCHEMA, ensureEventLog);

/** How far back a shopper's orders count for bought-together. */
const ORDER_HISTORY_MS = 365 * 86_400_000;
const CACHE_MS = 60_000;
const TOP = 2_000;

/**
 * Adds accepted events to the statistics. Idempotent: an event already counted (same site and messageId, e.g.
 * a retried batch) is skipped. Call it after the events are in the event log, or at the same time. It never
 * throws: statistics are best effort and must not fail an ingest; problems are logged.
 */
export async function onEventsAccepted(env: { EVENTS: D1Database }, site: string, events: readonly EventLike[]): Promise<void> {
  const all = signalsOf(events);
  if (!all.length) return;
  const db = env.EVENTS;
  let claimed: string[] = [];
  try {
    await ensureSchema(db);
    // Claim the events: only the ones inserted now are new.
    const ids = [...new Set(all.map((s) => s.messageId))];
    const { results } = await db
      .prepare(`INSERT OR IGNORE INTO rec_applied (site, message_id, at) SELECT ?1, value, ?2 FROM json_each(?3) WHERE true RETURNING message_id`)
      .bind(site, new Date().toISOString(), JSON.stringify(ids))
      .all<{ message_id: string }>();
    claimed = results.map((r) => r.message_id);
    const fresh = new Set(claimed);
    const signals = all.filter((s) => fresh.has(s.messageId));
    if (!signals.length) return;

    const history = (await Promise.all([...new Set(signals.map((s) => s.visitor))].map((v) => historyOf(db, site, v, signals, ids)))).flat();
    const items = [...itemIncrements(signals)].map(([id, d]) => [id, d.popular, d.trend]);
    const pairs = [...pairIncrements(history, signals)].map(([key, n]) => [...key.split('|'), n]);
    const statements = [
      db
        .prepare(
          `INSERT INTO rec_items (site, item, popular, trend) SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?2) WHERE true
           ON CONFLICT (site, item) DO UPDATE SET popular = popular + excluded.popular, trend = trend + excluded.trend`,
        )
        .bind(site, JSON.stringify(items)),
    ];
    if (pairs.length)
      statements.push(
        db
          .prepare(
            `INSERT INTO rec_pairs (site, kind, a, b, n) SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?2) WHERE true
             ON CONFLICT (site, kind, a, b) DO UPDATE SET n = n + excluded.n`,
          )
          .bind(site, JSON.stringify(pairs)),
      );
    await db.batch(statements);
  } catch (e) {
    console.error('attune: recommendation statistics not updated', e);
    // Release the claim so a retry of the batch counts these events after all.
    if (claimed.length)
      await db
        .prepare('DELETE FROM rec_applied WHERE site = ?1 AND message_id IN (SELECT value FROM json_each(?2))')
        .bind(site, JSON.stringify(claimed))
        .run()
        .catch(() => undefined);
  }
}

/**
 * Deletes the claims (rec_applied rows) made more than `retentionDays` + 1 day ago; run by the nightly cron.
 * Safe: a claim is made after its event was received, and the ingest refuses events older than the
 * retention (or more than minutes in the future), so an event whose claim is gone can never be accepted
 * again to be counted twice. The extra day covers client clocks running ahead.
 */
export async function purgeRecClaims(db: D1Database, site: string, retentionDays: number, now = Date.now()): Promise<number> {
  await ensureSchema(db);
  const before = new Date(now - (retentionDays + 1) * 86_400_000).toISOString();
  const r = await db.prepare('DELETE FROM rec_applied WHERE site = ?1 AND at < ?2').bind(site, before).run();
  return r.meta.changes ?? 0;
}

/** A shopper's earlier views (within the window) and orders (within a year), from the event log. */
async function historyOf(db: D1Database, site: string, visitor: string, fresh: Signal[], batchIds: string[]): Promise<Signal[]> {
  const mine = fresh.filter((s) => s.visitor === visitor);
  const from = Math.min(...mine.map((s) => s.at));
  const id = visitor.slice(2);
  const column = visitor.startsWith('u:') ? 'user_id' : 'anonymous_id';
  const { results } = await db
    .prepare(
      // INDEXED BY: left to itself SQLite walked the site's whole time index (for the ORDER BY) to find one
      // shopper's rows — 0.09 s per order on 1M events, what made a 100k-row orders import crawl.
      `SELECT message_id, name, timestamp, json_extract(body, '$.properties') AS properties FROM events INDEXED BY ${column === 'user_id' ? 'events_site_user' : 'events_site_anonymous'}
       WHERE site = ?1 AND ${column} = ?2 AND message_id NOT IN (SELECT value FROM json_each(?3))
         AND ((name = 'Product Viewed' AND timestamp >= ?4) OR (name = 'Order Completed' AND timestamp >= ?5))
       ORDER BY timestamp DESC LIMIT 500`,
    )
    .bind(site, id, JSON.stringify(batchIds), new Date(from - VIEW_WINDOW_MS).toISOString(), new Date(from - ORDER_HISTORY_MS).toISOString())
    .all<{ message_id: string; name: string; timestamp: string; properties: string | null }>();
  const events: EventLike[] = results.map((r) => ({
    type: 'track',
    event: r.name,
    messageId: r.message_id,
    [column === 'user_id' ? 'userId' : 'anonymousId']: id,
    timestamp: r.timestamp,
    properties: r.properties ? JSON.parse(r.properties) : {},
  }));
  return signalsOf(events);
}

const tops = new Map<string, { at: number; popular: Map<string, number>; trending: Map<string, number> }>();
const partners = new Map<string, { at: number; list: (readonly [string, number])[] }>();

/** The statistics a request needs: top lists, and the partners of `seeds` for the pair kinds asked for. */
export async function loadStats(db: D1Database, site: string, seeds: { kind: PairKind; item: string }[], now = Date.now()): Promise<RecStats> {
  await ensureSchema(db);
  let top = tops.get(site);
  const queries: Promise<unknown>[] = [];
  if (!top || now - top.at > CACHE_MS) {
    queries.push(
      db
        .batch([
          db.prepare('SELECT item, popular FROM rec_items WHERE site = ?1 ORDER BY popular DESC LIMIT ?2').bind(site, TOP),
          db.prepare('SELECT item, trend FROM rec_items WHERE site = ?1 ORDER BY trend DESC LIMIT ?2').bind(site, TOP),
        ])
        .then(([p, t]) => {
          top = {
            at: now,
            popular: new Map((p!.results as { item: string; popular: number }[]).map((r) => [r.item, r.popular])),
            trending: new Map((t!.results as { item: string; trend: number }[]).map((r) => [r.item, r.trend])),
          };
          tops.set(site, top);
        }),
    );
  }
  const missing = seeds.filter((s) => {
    const hit = partners.get(`${site}|${s.kind}|${s.item}`);
    return !hit || now - hit.at > CACHE_MS;
  });
  if (missing.length) {
    queries.push(
      db
        .batch(missing.map((s) => db.prepare('SELECT b, n FROM rec_pairs WHERE site = ?1 AND kind = ?2 AND a = ?3 ORDER BY n DESC LIMIT 100').bind(site, s.kind, s.item)))
        .then((rs) =>
          rs.forEach((r, i) => {
            const s = missing[i]!;
            partners.set(`${site}|${s.kind}|${s.item}`, { at: now, list: (r.results as { b: string; n: number }[]).map((x) => [x.b, x.n] as const) });
          }),
        ),
    );
  }
  await Promise.all(queries);
  if (partners.size > 20_000) for (const [k, v] of partners) if (now - v.at > CACHE_MS) partners.delete(k);
  return {
    popular: top!.popular,
    trending: top!.trending,
    together: (kind, item) => partners.get(`${site}|${kind}|${item}`)?.list ?? [],
  };
}

/** For tests: forget what this isolate cached. */
export function forgetStats() {
  tops.clear();
  partners.clear();
}
