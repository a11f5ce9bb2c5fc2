// Reads a request body as JSON within a byte limit: text/plain (what browsers send without a CORS
// preflight, and what sendBeacon sends), application/json, optionally gzip-compressed. Every way a
// body can be unusable gets a 4xx that says what.
import type { Context } from 'hono';
import { fail } from './errors.js';

const TYPES = ['text/plain', 'application/json', ''];

async function readCapped(stream: ReadableStream<Uint8Array>, limit: number, what: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      fail(400, `${what} could not be read: the gzip data is corrupt or truncated`);
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      fail(413, `${what} is over the limit of ${limit} bytes`);
    }
    parts.push(chunk.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The body parsed as a JSON object. `what` names the limit in messages, e.g. "a batch". */
export async function readJsonObject(c: Context, limit: number, what: string): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!TYPES.includes(type)) fail(415, `content-type ${type} is not accepted: send JSON as application/json or text/plain`);
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') fail(415, `content-encoding ${encoding} is not accepted: send identity or gzip`);
  const length = Number(c.req.header('content-length'));
  if (encoding === 'identity' && length > limit) fail(413, `the body (${length} bytes) is over the limit of ${limit} bytes ${what}`);
  const body = c.req.raw.body;
  if (!body) fail(400, 'the body is empty: send a JSON object');
  const stream = encoding === 'gzip' ? body.pipeThrough(new DecompressionStream('gzip')) : body;
  const bytes = await readCapped(stream, limit, `the body${encoding === 'gzip' ? ' (decompressed)' : ''}`);
  if (!bytes.byteLength) fail(400, 'the body is empty: send a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(400, 'the body is not valid UTF-8 text');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(400, `the body is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(400, `the body must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value as Record<string, unknown>;
}
