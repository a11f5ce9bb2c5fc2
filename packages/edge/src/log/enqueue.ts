// Ingest's second durable step: the accepted events and what their writers derived go onto the log Queue,
// chunked to its limits. Ingest answers 200 only once every sendBatch resolved; a failed send is a 5xx and the
// client's retry is idempotent (the writers drop repeated messageIds and replay what they derived).
import type { AcceptedEvent } from '../contract/events.js';
import type { RecDerivation } from '../recs/store.js';
import { consumed, sent } from './in-flight.js';
import { logMessages, sendBatches, type BotSighting, type LogMessage } from './queue-message.js';

export async function enqueueLog(
  queue: Queue<LogMessage>,
  site: string,
  receivedAt: string,
  parts: { events: AcceptedEvent[]; recs: RecDerivation[]; bots: BotSighting[] },
): Promise<void> {
  const groups = sendBatches(logMessages(site, receivedAt, parts));
  await Promise.all(
    groups.map(async (group) => {
      // Counted before sending: the consumer may take them before sendBatch resolves.
      sent(group.length);
      try {
        await queue.sendBatch(group.map((body) => ({ body, contentType: 'json' as const })));
      } catch (err) {
        consumed(group.length);
        throw err;
      }
    }),
  );
}
