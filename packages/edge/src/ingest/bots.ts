// Events from known bots, crawlers and headless browsers, classified at ingest by the same User-Agent test
// experiments use (experiments/bots.ts). They are accepted — the sender gets its 200, a crawler has nothing
// to retry — but never reach a profile writer (so no profile, counters or segments) nor the event log (so no
// report or recommendation statistic); they are counted per site and day in `bot_events` instead.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { isBot } from '../experiments/bots.js';
import { schemaOnce } from '../log/schema-once.js';
import type { AcceptedEvent } from '../profile/apply.js';

export const BOTS_SCHEMA = `CREATE TABLE IF NOT EXISTS bot_events (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site, day)
)`;

export const ensureBotSchema = schemaOnce([BOTS_SCHEMA]);

/**
 * The User-Agent an event speaks for: its own `context.userAgent`, else the request's when a browser sent the
 * request (it has an Origin header). A server library's User-Agent (node, curl, python-requests) is not the
 * visitor's, and must not make a shop's backend events count as a bot's.
 */
export function userAgentOf(e: AcceptedEvent, browserRequestUA: string | undefined): string | undefined {
  return e.context?.userAgent ?? browserRequestUA;
}

/** Pure: whether an event comes from a bot or headless browser. No User-Agent at all is not a bot here (servers). */
export const isBotEvent = (e: AcceptedEvent, browserRequestUA?: string) => {
  const ua = userAgentOf(e, browserRequestUA);
  return !!ua && isBot(ua);
};

/** Adds to the per-day counts, atomically (an upsert per day), in one D1 batch. */
export async function countBotEvents(db: D1Database, site: string, byDay: Map<string, number>): Promise<void> {
  if (!byDay.size) return;
  await ensureBotSchema(db);
  const upsert = 'INSERT INTO bot_events (site, day, count) VALUES (?1, ?2, ?3) ON CONFLICT (site, day) DO UPDATE SET count = count + excluded.count';
  await db.batch([...byDay].map(([day, n]) => db.prepare(upsert).bind(site, day, n)));
}

/** Bot events of a site per day in [from, to] (YYYY-MM-DD), for reports that show them apart. */
export async function botCounts(db: D1Database, site: string, from: string, to: string): Promise<{ day: string; count: number }[]> {
  await ensureBotSchema(db);
  const r = await db.prepare('SELECT day, count FROM bot_events WHERE site = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day').bind(site, from, to).all<{ day: string; count: number }>();
  return r.results;
}

/** For one request: `skip(event)` says whether to keep an event out, counting it; `flush()` stores the counts. */
export function botFilter(c: Context<AppEnv>, site: string) {
  const requestUA = c.req.header('origin') ? c.req.header('user-agent') : undefined;
  const byDay = new Map<string, number>();
  return {
    skip(e: AcceptedEvent): boolean {
      if (!isBotEvent(e, requestUA)) return false;
      const day = e.timestamp.slice(0, 10);
      byDay.set(day, (byDay.get(day) ?? 0) + 1);
      return true;
    },
    flush: () => countBotEvents(c.env.EVENTS, site, byDay),
  };
}
