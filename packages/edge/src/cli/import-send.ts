// Sends import events through the Segment batch API (`POST /v1/batch`, write key as the Basic-auth user),
// in batches under the edge's limits, a few at a time, retrying 429 and 5xx with backoff (honouring
// Retry-After) until they land or the attempts run out. Every event keeps the line it came from, so what the
// edge refuses — and what never landed — can be reported by line. fetch and sleep are injected for tests.
import { LIMITS } from '../contract/events.js';
import type { Outgoing } from './import-customers.js';

export interface SendOptions {
  url: string;
  writeKey: string;
  /** events per batch (≤ 500, the edge's limit) */
  batchEvents?: number;
  /** bytes per batch body, under the edge's 500 KB */
  batchBytes?: number;
  /** batches in flight at once */
  concurrency?: number;
  /** attempts per batch before it is reported as not landed */
  maxAttempts?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** after each batch is settled: events settled so far */
  onProgress?: (settled: number) => void;
  /** a retry is coming: for the progress display */
  onRetry?: (status: number | string, waitMs: number, message: string) => void;
}

export interface EdgeRejection {
  line: number;
  /** whether it was a person's or an order's own event (not a link between ids) */
  unit: boolean;
  messageId: string;
  message: string;
}
export interface SendResult {
  sent: number;
  acknowledged: number;
  rejected: EdgeRejection[];
  /** batches that did not land after every attempt: their lines, and the last error */
  failed: { lines: number[]; events: number; units: number; message: string }[];
  retries: number;
}

export interface Batch {
  body: string;
  items: Outgoing[];
}

/** Packs events into batch bodies under both limits. Pure; async because the events are (their ids are hashed). */
export async function* packBatches(events: AsyncIterable<Outgoing> | Iterable<Outgoing>, maxEvents: number = LIMITS.batchEvents, maxBytes: number = LIMITS.batchBytes - 16 * 1024): AsyncGenerator<Batch> {
  const enc = new TextEncoder();
  let parts: string[] = [];
  let items: Outgoing[] = [];
  let bytes = 12; // {"batch":[]}
  for await (const o of events) {
    const json = JSON.stringify(o.event);
    const size = enc.encode(json).length + 1;
    if (items.length && (items.length >= maxEvents || bytes + size > maxBytes)) {
      yield { body: `{"batch":[${parts.join(',')}]}`, items };
      parts = [];
      items = [];
      bytes = 12;
    }
    parts.push(json);
    items.push(o);
    bytes += size;
  }
  if (items.length) yield { body: `{"batch":[${parts.join(',')}]}`, items };
}

/** Seconds or an HTTP date, as Retry-After may say; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function sendAll(events: AsyncIterable<Outgoing> | Iterable<Outgoing>, o: SendOptions): Promise<SendResult> {
  const f = o.fetch ?? fetch;
  const sleep = o.sleep ?? realSleep;
  const maxAttempts = o.maxAttempts ?? 8;
  const endpoint = `${o.url.replace(/\/+$/, '')}/v1/batch`;
  const auth = `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`;
  const result: SendResult = { sent: 0, acknowledged: 0, rejected: [], failed: [], retries: 0 };
  let settled = 0;

  async function post(batch: Batch): Promise<void> {
    let last = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let status: number | string;
      let wait: number | undefined;
      try {
        const res = await f(endpoint, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: batch.body });
        const text = await res.text();
        if (res.ok) {
          const body = JSON.parse(text || '{}') as { rejected?: { index: number; messageId?: string; message: string; path: string }[] };
          for (const r of body.rejected ?? []) {
            const item = batch.items[r.index];
            result.rejected.push({ line: item?.line ?? 0, unit: item?.event.type !== 'alias', messageId: r.messageId ?? String(item?.event.messageId ?? ''), message: `${r.path}: ${r.message}` });
          }
          result.acknowledged += batch.items.length - (body.rejected?.length ?? 0);
          return;
        }
        status = res.status;
        last = `${res.status} ${(() => { try { return (JSON.parse(text) as { error?: string }).error ?? text; } catch { return text; } })().slice(0, 300)}`;
        // Other 4xx mean the request itself is wrong (write key, body): repeating it cannot help.
        if (res.status !== 429 && res.status < 500) break;
        wait = retryAfterMs(res.headers.get('retry-after'));
      } catch (e) {
        status = 'network';
        last = `cannot reach ${endpoint}: ${(e as Error).message}`;
      }
      if (attempt === maxAttempts) break;
      const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);
      const ms = wait !== undefined ? wait + Math.random() * 250 : backoff;
      result.retries++;
      o.onRetry?.(status, ms, last);
      await sleep(ms);
    }
    result.failed.push({ lines: batch.items.map((i) => i.line), events: batch.items.length, units: batch.items.filter((i) => i.event.type !== 'alias').length, message: last });
  }

  // A bounded pool: the next batch is packed only when a slot frees up, so memory stays flat.
  const it = packBatches(events, o.batchEvents, o.batchBytes);
  const worker = async () => {
    for (let n = await it.next(); !n.done; n = await it.next()) {
      result.sent += n.value.items.length;
      await post(n.value);
      settled += n.value.items.length;
      o.onProgress?.(settled);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, worker));
  return result;
}
