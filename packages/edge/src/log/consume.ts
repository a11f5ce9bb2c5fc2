// The log Queue's consumer (the Worker's `queue()` handler): what ingest acknowledged reaches the log's stores
// here, in large batches off the request path. First the R2 archive (one Parquet file per message and day, named
// by the Queue's message id, so a redelivery overwrites it); then one D1 transaction per site with the event log
// and its rollup markers, the archive's per-profile index, recommendation statistics and bot counts; then the
// statistics' KV copies pages read. Every write is idempotent (message ids, claims), so a redelivered message, a
// crash mid-batch or a client's retry counts each event once.
import type { Bindings } from '../app-env.js';
import { archiveIndexStatements } from '../archive/tombstones.js';
import { archiveMessage } from '../archive/write.js';
import { botStatements, ensureBotSchema } from '../ingest/bots.js';
import { materializeStats, touchedBy, type Materialized } from '../recs/materialize.js';
import { ensureSchema as ensureRecsSchema, recStatements, type RecDerivation } from '../recs/store.js';
import { logStatements } from './event-log.js';
import { consumed } from './in-flight.js';
import { isLogMessage, isSettleMessage, type LogMessage, type SettleMessage } from './queue-message.js';

/** Retries back off to a minute; after the consumer's max_retries the Queue moves a message to the dead-letter queue. */
const retryDelay = (attempts: number) => Math.min(60, 2 ** attempts);

/** A derivation carried twice in one batch (a client retried; its writer replayed it) is counted by its claim once. */
function byClaim(recs: RecDerivation[]): RecDerivation[] {
  const seen = new Map<string, RecDerivation>();
  for (const d of recs) if (!seen.has(d.claim)) seen.set(d.claim, d);
  return [...seen.values()];
}

/**
 * Asks for the site's next pass of recommendation copies in a pass's interval, through the Queue: marks left now
 * reach KV without this invocation waiting (its acknowledgements would wait with it). Never throws: a note that
 * cannot be sent leaves the marks to the next batch's pass or the cron's sweep.
 */
async function settleLater(queue: Queue, site: string, after: Materialized): Promise<void> {
  if (after.retryInMs === undefined) return;
  const note: SettleMessage = { v: 1, settle: 'recs', site };
  await queue.send(note, { delaySeconds: Math.ceil(after.retryInMs / 1000) }).catch((e) => console.error(`attune: cannot ask for the next recommendation pass of site ${JSON.stringify(site)}; the next batch or the cron takes it`, e));
}

/**
 * One pass for a site a note named. A pass kept from the lease by another pass asks for none: that pass read the
 * marks after claiming, and every mark made since asked for its own pass (so notes never multiply).
 */
async function settlePass(env: Bindings, site: string): Promise<void> {
  const r = await materializeStats(env.EVENTS, env.PROFILES, site, []);
  if (r.written || r.failed) await settleLater(env.LOG_QUEUE, site, r);
}

/** Writes one site's messages to the derived stores. Throws when any store failed; the caller retries them all. */
export async function applyLog(env: Bindings, site: string, delivered: readonly { id: string; body: LogMessage }[]): Promise<void> {
  const db = env.EVENTS;
  const messages = delivered.map((m) => m.body);
  // The archive first: a day the D1 index counts as written must already have its file (archive/day-state.ts).
  await Promise.all([ensureRecsSchema(db), ensureBotSchema(db), ...delivered.map((m) => archiveMessage(env.ARCHIVE, site, m.id, m.body.events))]);
  const events = messages.flatMap((m) => m.events);
  const recs = byClaim(messages.flatMap((m) => m.recs));
  const at = messages.reduce((t, m) => (m.receivedAt > t ? m.receivedAt : t), messages[0]!.receivedAt);
  const statements = [
    ...logStatements(db, site, events),
    ...(await archiveIndexStatements(db, site, events)),
    ...recStatements(db, site, recs, at),
    ...botStatements(db, site, messages.flatMap((m) => m.bots)),
  ];
  if (statements.length) await db.batch(statements);
  // Pages read the statistics' KV copies: mark and copy what these increments changed (recs/materialize.ts). A
  // failure here retries the messages; their claims keep the increments counted once.
  if (recs.length) {
    await settleLater(env.LOG_QUEUE, site, await materializeStats(db, env.PROFILES, site, touchedBy(recs)));
  }
}

export async function consumeLog(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const bySite = new Map<string, Message<LogMessage>[]>();
  const settle = new Map<string, Message[]>();
  for (const m of batch.messages) {
    if (isSettleMessage(m.body)) {
      settle.set(m.body.site, [...(settle.get(m.body.site) ?? []), m]);
      continue;
    }
    if (!isLogMessage(m.body)) {
      // Not ours to guess at (a newer or older producer): retried until the dead-letter queue keeps it.
      console.error(`attune: log message ${m.id} is not a version 1 log message; left for the dead-letter queue`);
      m.retry({ delaySeconds: retryDelay(m.attempts) });
      continue;
    }
    const list = bySite.get(m.body.site) ?? [];
    list.push(m as Message<LogMessage>);
    bySite.set(m.body.site, list);
  }
  await Promise.all([
    ...[...bySite].map(async ([site, list]) => {
      try {
        await applyLog(env, site, list);
        for (const m of list) m.ack();
        consumed(list.length);
      } catch (err) {
        console.error(`attune: the log consumer failed for site ${JSON.stringify(site)}; the Queue redelivers ${list.length} message(s)`, err);
        for (const m of list) m.retry({ delaySeconds: retryDelay(m.attempts) });
      }
    }),
    // Notes for the same site in one batch need one pass.
    ...[...settle].map(async ([site, notes]) => {
      try {
        await settlePass(env, site);
        for (const m of notes) m.ack();
      } catch (err) {
        console.error(`attune: the recommendation pass of site ${JSON.stringify(site)} failed; the Queue redelivers its note`, err);
        for (const m of notes) m.retry({ delaySeconds: retryDelay(m.attempts) });
      }
    }),
  ]);
}
