// Events from known bots, crawlers and headless browsers, classified at ingest by the same User-Agent test
// experiments use (experiments/bots.ts). They are accepted — the sender gets its 200, a crawler has nothing
// to retry — but never reach a profile writer (so no profile, counters or segments) nor the event log (so no
// report or recommendation statistic). They are counted apart by the log consumer, once per messageId: a batch retried after a
// failed writer or a lost answer carries its bot events again, and a count that grew each time would lie.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { BOT, isBot } from '../experiments/bots.js';
import { schemaOnce } from '../log/schema-once.js';
import type { AcceptedEvent } from '../contract/events.js';
import type { BotSighting } from '../log/queue-message.js';

/** One row per bot event seen (kept as long as the site's retention): counts are `count(*)`, exact under retries. */
export const BOTS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS bot_event_ids (
  site TEXT NOT NULL,
  message_id TEXT NOT NULL,
  day TEXT NOT NULL,
  family TEXT NOT NULL,
  PRIMARY KEY (site, message_id)
) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS bot_event_ids_day ON bot_event_ids (site, day, family)`,
];

export const ensureBotSchema = schemaOnce(BOTS_SCHEMA);

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

/** The word around what the bot test matched: the test's own patterns, so the two never disagree. */
const FAMILY = new RegExp(`[\\w.-]*(?:${BOT.source})[\\w.-]*`, 'i');

/** Pure: a short name for the bot a User-Agent belongs to ("Googlebot", "HeadlessChrome", "curl"), for reports. */
export function botFamily(userAgent: string): string {
  const m = FAMILY.exec(userAgent)?.[0].split('/')[0]!.replace(/[.-]+$/, '');
  return (m || 'other').slice(0, 40);
}

/** The statements that record bot sightings, each messageId once (a retried batch adds nothing); the caller ran ensureBotSchema. */
export function botStatements(db: D1Database, site: string, events: readonly BotSighting[]): D1PreparedStatement[] {
  const insert = 'INSERT OR IGNORE INTO bot_event_ids (site, message_id, day, family) VALUES (?1, ?2, ?3, ?4)';
  return events.map((e) => db.prepare(insert).bind(site, e.messageId, e.day, e.family));
}

/** Bot events of a site per day and family in [from, to] (YYYY-MM-DD), for reports that show them apart. */
export async function botCounts(db: D1Database, site: string, from: string, to: string): Promise<{ day: string; family: string; count: number }[]> {
  await ensureBotSchema(db);
  const r = await db
    .prepare('SELECT day, family, count(*) AS count FROM bot_event_ids WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day, family ORDER BY day, family')
    .bind(site, from, to)
    .all<{ day: string; family: string; count: number }>();
  return r.results;
}

/** Deletes bot records older than the site's retention; run by the cron trigger with the event log's purge. */
export async function purgeBotEvents(db: D1Database, site: string, retentionDays: number, now = Date.now()): Promise<number> {
  await ensureBotSchema(db);
  const before = new Date(now - retentionDays * 86_400_000).toISOString().slice(0, 10);
  const r = await db.prepare('DELETE FROM bot_event_ids WHERE site = ?1 AND day < ?2').bind(site, before).run();
  return r.meta.changes ?? 0;
}

/** For one request: `skip(event)` says whether to keep an event out, noting it in `seen` for the log consumer. */
export function botFilter(c: Context<AppEnv>) {
  const requestUA = c.req.header('origin') ? c.req.header('user-agent') : undefined;
  const seen: BotSighting[] = [];
  return {
    skip(e: AcceptedEvent): boolean {
      if (!isBotEvent(e, requestUA)) return false;
      seen.push({ messageId: e.messageId, day: e.timestamp.slice(0, 10), family: botFamily(userAgentOf(e, requestUA)!) });
      return true;
    },
    seen,
  };
}
