// Reads a request body as JSON within a byte limit, optionally gzip-compressed. The content is what counts,
// not its label: browsers send text/plain (no CORS preflight; sendBeacon), server clients application/json,
// and @rudderstack/rudder-sdk-node sends its gzip JSON as application/x-www-form-urlencoded. Every way a
// body can be unusable gets a 4xx that says what. A body refused half read is left to the drain middleware
// (drain-body.ts), which reads the rest before the answer leaves.
import type { Context } from 'hono';
import { fail } from './errors.js';

type Capped = { bytes: Uint8Array<ArrayBuffer>; over: false } | { bytes?: undefined; over: true };

/**
 * Reads `stream` to its end, or stops once it holds more than `limit` bytes. On stopping, the reader lets
 * go of the stream without cancelling it, so the rest can still be drained.
 */
async function readCapped(stream: ReadableStream<Uint8Array>, limit: number, unreadable: string): Promise<Capped> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        fail(400, unreadable);
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > limit) return { over: true };
      parts.push(chunk.value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return { bytes, over: false };
}

/** A gzip body, decompressed from memory: its errors and its limit never involve the request's stream. */
async function gunzip(compressed: Uint8Array<ArrayBuffer>, limit: number, what: string): Promise<Uint8Array> {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const out = await readCapped(stream, limit, 'the body is declared gzip (content-encoding: gzip) but is not gzip data, or is truncated');
  if (out.over) {
    await stream.cancel().catch(() => undefined);
    fail(413, `the body (decompressed) is over the limit of ${limit} bytes ${what}`);
  }
  return out.bytes;
}

const shown = (type: string) => (type ? `content-type ${type}` : 'no content-type');

/** The body parsed as a JSON object. `what` names the limit in messages, e.g. "a batch". */
export async function readJsonObject(c: Context, limit: number, what: string): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') fail(415, `${shown(type)} is not accepted: send the JSON object itself as the body (any content-type, e.g. application/json)`);
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') fail(415, `content-encoding ${encoding} is not accepted: send identity or gzip`);
  const length = Number(c.req.header('content-length'));
  // JSON compresses, so a gzip body over the limit is over it decompressed too.
  if (length > limit) fail(413, `the body (${length} bytes) is over the limit of ${limit} bytes ${what}`);
  const body = c.req.raw.body;
  if (!body) fail(400, 'the body is empty: send a JSON object');
  const raw = await readCapped(body, limit, 'the body could not be read: the connection broke before its end');
  if (raw.over) fail(413, `the body is over the limit of ${limit} bytes ${what}`);
  const bytes = encoding === 'gzip' ? await gunzip(raw.bytes, limit, what) : raw.bytes;
  if (!bytes.byteLength) fail(400, 'the body is empty: send a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(400, `the body is not valid UTF-8 text (${shown(type)}): send a JSON object`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(400, `the body is not valid JSON (${shown(type)}; every body is read as JSON whatever its content-type): ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(400, `the body must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value as Record<string, unknown>;
}
