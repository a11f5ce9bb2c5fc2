// Sends the outbox to the edge: batches by count and bytes, retries with backoff, one tab at a time.
import type { IngestResponse } from '@attune/edge/contract';
import type { Entry, Outbox } from '../outbox/outbox.js';
import { byteLength, debug, iso, now, warn } from '../util.js';
import { withLock } from './lock.js';
import { backoffMs, retryable } from './policy.js';

/**
 * Browsers refuse keepalive bodies past 64 KB in flight. Keeping every batch under it (with room for the
 * envelope) lets every request outlive the page; the edge's own limit (500 KB) is far above.
 */
const BATCH_BYTES = 60 * 1024;

/**
 * POSTs JSON as a string body, which fetch labels text/plain (the edge reads JSON whatever the label): no CORS
 * preflight, and what sendBeacon sends too; keepalive lets the request outlive the page.
 */
export async function post(url: string, body: unknown, credentials?: RequestCredentials) {
  const data = JSON.stringify(body);
  try {
    return await fetch(url, { method: 'POST', body: data, keepalive: true, credentials });
  } catch (e) {
    // A keepalive body the browser refuses (its quota is shared by all in-flight requests) still goes out as a
    // beacon; its answer is unknown, so the events stay in the outbox and the edge drops the later copy by messageId.
    // fetch throws the same TypeError when the network is down, so an outage also sends a beacon per failed
    // attempt: at most one extra request each (the fault suite counted 3 fetches + 4 beacons in 8 s offline),
    // deduplicated at the edge — the price of not telling the two apart.
    debug(e, navigator.sendBeacon?.(url, data));
  }
}

/**
 * @param api base URL of the edge
 * @param writeKey the site's write key
 * @param batchSize events per request at most
 * @param interval ms to gather events before sending
 * @param dropped events dropped so far (outbox full, oversized), reported to the edge with each batch
 * @param allowed whether the visitor's consent lets anything be sent (or stored: reading the outbox opens it)
 * @param ready settles a second after the page has loaded: before that, only an urgent flush goes ahead
 */
export function createTransport(
  api: string,
  writeKey: string,
  outbox: Outbox,
  batchSize: number,
  interval: number,
  dropped: () => number,
  allowed: () => boolean,
  ready: Promise<unknown>,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;
  let waiting = 0;
  let attempt = 0;
  let retryAt = 0;

  const schedule = (ms: number) => {
    timer ||= setTimeout(() => ((timer = undefined), void flush()), ms);
  };

  /** One request, of `from` or else of the outbox's oldest; resolves to whether to go on with the next batch. */
  async function sendBatch(from?: Entry[]): Promise<boolean> {
    const batch: Entry[] = [];
    let bytes = 0;
    // Given entries are posted in this same task, before any await: a page being left may not see the next one.
    const got = from ?? (await outbox.peek(batchSize));
    for (const x of got) {
      bytes += byteLength(JSON.stringify(x.e)) + 1;
      if (batch.length && bytes > BATCH_BYTES) break;
      batch.push(x);
    }
    if (!batch.length) return false;
    const res = await post(
      `${api}/v1/batch`,
      { batch: batch.map((x) => x.e), sentAt: iso(), writeKey, dropped: dropped() },
    );
    const status = res?.status ?? 0;
    if (!retryable(status)) {
      const answer: IngestResponse | void = await res!.json().catch(debug);
      const refused = answer?.rejected ?? [];
      const ids = refused.map((r) => r.messageId);
      if (refused.length || status > 299) warn(status, answer);
      // 2xx: all acknowledged (refused ones are gone for good). Other 4xx: drop only what the edge named.
      await outbox.remove(status < 300 ? batch : batch.filter((x) => ids.includes(x.e.messageId)));
      // Go on only if more may wait: a full peek, or one cut by bytes (no empty read after the last batch).
      if (status < 300) return (attempt = 0), got.length == batchSize || batch.length < got.length;
    }
    retryAt = now() + backoffMs(attempt++, res?.headers.get('retry-after'));
    schedule(retryAt - now());
    return false;
  }

  /**
   * Sends everything waiting, batch after batch, unless another tab is doing it or we are backing off.
   * `urgent` (the page is being left, the network is back) skips the backoff.
   */
  async function flush(urgent = false): Promise<void> {
    // The page's own start comes first; a page being left (urgent) does not wait.
    urgent || (await ready);
    if (!allowed()) return;
    // Not now (a request in flight, or backing off): come back then, whatever timer was pending before.
    const wait = busy ? interval : urgent ? 0 : retryAt - now();
    if (wait > 0) return schedule(wait);
    busy = true;
    waiting = 0;
    try {
      // What waits in memory is written first: nothing is sent that is not stored.
      await outbox.save();
      // Another tab holds the lock: it sends what is stored, ours included, or we do next turn.
      (await withLock('attune-flush', async () => {
        while (await sendBatch());
      })) || schedule(interval);
    } catch (e) {
      debug(e);
    }
    busy = false;
  }

  // The network is back: no need to sit out the backoff.
  addEventListener('online', () => flush(true));
  // The page is being left (fired before pagehide on every way out: tab closed, navigation, app switch on mobile).
  // What it has not stored yet goes at once, with keepalive, in this same task: the IndexedDB write it waits for
  // would be aborted with the page. One request: its byte cut keeps it under keepalive's quota and the edge's count.
  // No consent check: only granted events are kept, and a withdrawal empties the outbox. The stored rest goes with
  // the next page; if this page stays after all (a tab switch), its flush sends them again and the edge drops the
  // second copy by messageId. sendBatch does not reject.
  addEventListener('visibilitychange', () => document.hidden && (sendBatch(outbox.unsaved()), flush(true)));

  return {
    flush,
    /** Something was added: send soon, or now if a batch is full. */
    poke: () => (++waiting < batchSize ? schedule(interval) : void flush()),
  };
}
