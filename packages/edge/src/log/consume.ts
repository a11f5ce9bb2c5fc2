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
import { materializeStats, settleStats, touchedBy } from '../recs/materialize.js';
import { ensureSchema as ensureRecsSchema, recStatements, type RecDerivation } from '../recs/store.js';
import { logStatements } from './event-log.js';
import { consumed } from './in-flight.js';
import { isLogMessage, type LogMessage } from './queue-message.js';

/** Retries back off to a minute; after the consumer's max_retries the Queue moves a message to the dead-letter queue. */
const retryDelay = (attempts: number) => Math.min(60, 2 ** attempts);

/** A derivation carried twice in one batch (a client retried; its writer replayed it) is counted by its claim once. */
function byClaim(recs: RecDerivation[]): RecDerivation[] {
  const seen = new Map<string, RecDerivation>();
  for (const d of recs) if (!seen.has(d.claim)) seen.set(d.claim, d);
  return [...seen.values()];
}

/**
 * Writes one site's messages to the derived stores. Throws when any store failed; the caller retries them all.
 * @param later takes work that may finish after the messages are acknowledged (KV copies a later pass completes)
 */
export async function applyLog(env: Bindings, site: string, delivered: readonly { id: string; body: LogMessage }[], later: (p: Promise<unknown>) => void = () => {}): Promise<void> {
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
    const copied = await materializeStats(db, env.PROFILES, site, touchedBy(recs));
    if (copied.retryInMs !== undefined) later(settleStats(db, env.PROFILES, site, copied).catch((e) => console.error('attune: recommendation copies not settled; the next pass or the cron takes them', e)));
  }
}

export async function consumeLog(batch: MessageBatch<unknown>, env: Bindings, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<void> {
  const bySite = new Map<string, Message<LogMessage>[]>();
  for (const m of batch.messages) {
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
  await Promise.all(
    [...bySite].map(async ([site, list]) => {
      try {
        await applyLog(env, site, list, (p) => ctx.waitUntil(p));
        for (const m of list) m.ack();
        consumed(list.length);
      } catch (err) {
        console.error(`attune: the log consumer failed for site ${JSON.stringify(site)}; the Queue redelivers ${list.length} message(s)`, err);
        for (const m of list) m.retry({ delaySeconds: retryDelay(m.attempts) });
      }
    }),
  );
}
