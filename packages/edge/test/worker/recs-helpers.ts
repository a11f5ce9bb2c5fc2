// Shared by the Worker tests of recommendations: the statistics' KV copies as the writer of the statistics leaves
// them, and the statistics read straight from D1 (the source of truth) to compare pages with.
//
// Until the queue consumer calls materializeStats after each batch it applies, a test that ingests events and
// then expects recommendation rows calls materialize() itself; once the consumer lands, such a test waits for the
// consumer instead (every caller is named in the report of issue 20, item 7).
import { env } from 'cloudflare:test';
import { ID_MAX, materializeStats, settleStats, type Touched } from '../../src/recs/materialize.js';
import { forgetStats } from '../../src/recs/stats-read.js';
import type { PairKind, RecStats } from '../../src/recs/stats.js';

/**
 * Copies to KV the top lists and the partner lists (both kinds) of `items`, whose pairs the test's events changed,
 * as the consumer does after a batch, and forgets what this isolate read. No claim intervals: every call writes.
 */
export async function materialize(items: readonly string[], site = 'demo') {
  const touched = items.flatMap((item): Touched[] => [['viewed', item], ['bought', item]]);
  const o = { topEveryMs: 0, passEveryMs: 0 };
  const first = await materializeStats(env.EVENTS, env.PROFILES, site, touched, Date.now(), o);
  // Another test's pass may hold the claim this very millisecond: try again until the marks are written.
  const last = await settleStats(env.EVENTS, env.PROFILES, site, first, { ...o, wait: () => new Promise((r) => setTimeout(r, 5)), rounds: 50 });
  if (last.retryInMs !== undefined) throw new Error(`materialize: marked partner lists still unwritten after 50 passes (${JSON.stringify(last)})`);
  forgetStats();
}

/**
 * Waits until D1 holds what the test's events add (`check` says so): ingest may hand the increments to the log
 * Queue's consumer, which applies them after the answer.
 */
export async function untilD1(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  // Before the first batch is applied the tables may not exist yet: not yet, like a missing row.
  const held = () => check().catch((e: Error) => (/no such table/.test(e.message) ? false : Promise.reject(e)));
  while (!(await held())) {
    if (Date.now() > end) throw new Error(`D1 never held ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The count of one pair in D1, 0 when absent. */
export async function pairCount(kind: PairKind, a: string, b: string, site = 'demo'): Promise<number> {
  const row = await env.EVENTS.prepare('SELECT n FROM rec_pairs WHERE site = ?1 AND kind = ?2 AND a = ?3 AND b = ?4').bind(site, kind, a, b).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * What the statistics in D1 say, in the shape strategies read: what serving read before it read KV (the same
 * queries), with the copies' one documented filter (ids longer than a catalog product id stay out).
 */
export async function statsFromD1(site: string, seeds: readonly { kind: PairKind; item: string }[]): Promise<RecStats> {
  const db = env.EVENTS;
  const [popular, trending] = await db.batch<Record<string, string | number>>([
    db.prepare('SELECT item, popular AS v FROM rec_items WHERE site = ?1 AND length(item) <= ?2 ORDER BY popular DESC, item LIMIT 2000').bind(site, ID_MAX),
    db.prepare('SELECT item, trend AS v FROM rec_items WHERE site = ?1 AND length(item) <= ?2 ORDER BY trend DESC, item LIMIT 2000').bind(site, ID_MAX),
  ]);
  const lists = new Map<string, [string, number][]>();
  for (const s of seeds) {
    const r = await db
      .prepare('SELECT b, n FROM rec_pairs WHERE site = ?1 AND kind = ?2 AND a = ?3 AND length(b) <= ?4 ORDER BY n DESC, b LIMIT 100')
      .bind(site, s.kind, s.item, ID_MAX)
      .all<{ b: string; n: number }>();
    lists.set(JSON.stringify([s.kind, s.item]), r.results.map((x) => [x.b, x.n]));
  }
  const map = (rows: Record<string, string | number>[]) => new Map(rows.map((r) => [r.item as string, r.v as number]));
  return { popular: map(popular!.results), trending: map(trending!.results), together: (kind, item) => lists.get(JSON.stringify([kind, item])) ?? [] };
}
