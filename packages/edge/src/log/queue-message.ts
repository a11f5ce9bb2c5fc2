// What ingest hands the log consumer through the Queue: the accepted events of one request with what their
// writers derived (segment entries and exits are events; recommendation increments; bot sightings). Pure: the
// chunking to the Queue's limits is here, the sending in enqueue.ts, the reading in consume.ts.
import type { AcceptedEvent } from '../contract/events.js';
import type { RecDerivation } from '../recs/store.js';
import { utf8Bytes } from '../contract/utf8.js';

/** A bot event seen at ingest: counted apart, once per messageId (ingest/bots.ts). */
export interface BotSighting {
  messageId: string;
  day: string;
  family: string;
}

/** Version 1 of the message body. A consumer refuses what it cannot read rather than guess (consume.ts). */
export interface LogMessage {
  v: 1;
  site: string;
  receivedAt: string;
  events: AcceptedEvent[];
  recs: RecDerivation[];
  bots: BotSighting[];
}

/**
 * Queue limits (developers.cloudflare.com/queues/platform/limits): a message holds at most 128 KB with ~100 bytes
 * of metadata, a sendBatch at most 100 messages and 256 KB. The margins cover JSON's escaping differences between
 * our byte count and the Queue's serialization (V8 structured clone, which is no larger for these shapes).
 */
export const QUEUE_LIMITS = { messageBytes: 120_000, batchMessages: 100, batchBytes: 240_000 } as const;

const bytes = (v: unknown) => utf8Bytes(JSON.stringify(v));
/** The bytes logMessages counted for each message it made: sendBatches needs them and need not count again. */
const counted = new WeakMap<LogMessage, number>();

/**
 * A derivation cut in pieces small enough for a message. Each piece gets its own claim (`<claim>/<i>`): the
 * pieces are cut the same way on every retry (the writer replays the same derivation), so each is counted once.
 */
function splitDerivation(d: RecDerivation, limit: number): RecDerivation[] {
  if (bytes(d) <= limit) return [d];
  const pieces: RecDerivation[] = [];
  let items: RecDerivation['items'] = [];
  let pairs: RecDerivation['pairs'] = [];
  let size = 0;
  const cut = () => {
    pieces.push({ claim: `${d.claim}/${pieces.length}`, items, pairs });
    items = [];
    pairs = [];
    size = 0;
  };
  for (const it of d.items) {
    const b = bytes(it) + 1;
    if (size + b > limit && size) cut();
    items.push(it);
    size += b;
  }
  for (const p of d.pairs) {
    const b = bytes(p) + 1;
    if (size + b > limit && size) cut();
    pairs.push(p);
    size += b;
  }
  if (size) cut();
  return pieces;
}

/**
 * Cuts one request's log into messages of at most `limit` bytes each, keeping order. An event is at most 32 KB
 * (LIMITS.eventBytes), so every part fits; a large derivation is split (splitDerivation).
 */
export function logMessages(
  site: string,
  receivedAt: string,
  parts: { events: AcceptedEvent[]; recs: RecDerivation[]; bots: BotSighting[] },
  limit: number = QUEUE_LIMITS.messageBytes,
): LogMessage[] {
  const empty = (): LogMessage => ({ v: 1, site, receivedAt, events: [], recs: [], bots: [] });
  const out: LogMessage[] = [];
  let m = empty();
  let size = bytes(m);
  const base = size;
  const add = <K extends 'events' | 'recs' | 'bots'>(key: K, item: LogMessage[K][number]) => {
    const b = bytes(item) + 1;
    if (size + b > limit && size > base) {
      counted.set(m, size);
      out.push(m);
      m = empty();
      size = base;
    }
    (m[key] as unknown[]).push(item);
    size += b;
  };
  for (const e of parts.events) add('events', e);
  for (const d of parts.recs) for (const piece of splitDerivation(d, limit - base - 64)) add('recs', piece);
  for (const s of parts.bots) add('bots', s);
  if (size > base) counted.set(m, size), out.push(m);
  return out;
}

/** Groups messages into sendBatch calls within the Queue's count and byte limits. */
export function sendBatches(messages: LogMessage[]): LogMessage[][] {
  const out: LogMessage[][] = [];
  let group: LogMessage[] = [];
  let size = 0;
  for (const m of messages) {
    const b = (counted.get(m) ?? bytes(m)) + 100;
    if (group.length && (group.length === QUEUE_LIMITS.batchMessages || size + b > QUEUE_LIMITS.batchBytes)) {
      out.push(group);
      group = [];
      size = 0;
    }
    group.push(m);
    size += b;
  }
  if (group.length) out.push(group);
  return out;
}

/** Whether a Queue message body is a log message this consumer can read (a deploy may leave older ones queued). */
export function isLogMessage(body: unknown): body is LogMessage {
  const m = body as Partial<LogMessage> | null;
  return !!m && typeof m === 'object' && m.v === 1 && typeof m.site === 'string' && typeof m.receivedAt === 'string' && Array.isArray(m.events) && Array.isArray(m.recs) && Array.isArray(m.bots);
}

/**
 * A note the consumer sends itself, delayed by a pass's interval: run the next pass of a site's recommendation
 * copies (recs/materialize.ts). Waiting for that pass inside the batch's invocation held its acknowledgements.
 */
export interface SettleMessage {
  v: 1;
  settle: 'recs';
  site: string;
}

export function isSettleMessage(body: unknown): body is SettleMessage {
  const m = body as Partial<SettleMessage> | null;
  return !!m && typeof m === 'object' && m.v === 1 && m.settle === 'recs' && typeof m.site === 'string';
}
