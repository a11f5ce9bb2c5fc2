// Request bodies: every answer (a refusal, a page, an unknown route) leaves only once its request's body was
// read to the end, and a body is read as JSON whatever its content-type says.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { profileOf, track, uid } from './helpers.js';
import { settleBody } from '../../src/http/drain-body.js';
import { createApp } from '../../src/index.js';

const app = createApp(config, catalog);
const ORIGIN = 'http://localhost:8787';
const K = 1024;

/** A body sent in 16 KB chunks, each made only when the Worker asks for it: it shows how far it was read. */
function watched(bytes: Uint8Array) {
  const state = { sent: 0, ended: false, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(ctl) {
        if (state.sent >= bytes.byteLength) return void ((state.ended = true), ctl.close());
        const chunk = bytes.slice(state.sent, state.sent + 16 * K);
        state.sent += chunk.byteLength;
        ctl.enqueue(chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const send = (method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  app.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body }), env);

const text = (s: string) => new TextEncoder().encode(s);
const gzip = async (bytes: Uint8Array) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
const filler = (n: number) => text('x'.repeat(n));
const batchOf = (anon: string, n = 1) => JSON.stringify({ writeKey: 'demo', batch: Array.from({ length: n }, () => track(anon, 'Body Test')) });
const error = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('an answer leaves only after its request body was read to the end', () => {
  const bigJson = text(JSON.stringify({ writeKey: 'demo', batch: [], pad: 'x'.repeat(300 * K) }));
  const cases: [string, string, string, Uint8Array | (() => Promise<Uint8Array>), Record<string, string>, number][] = [
    ['a batch over the limit, length unknown', 'POST', '/v1/batch', filler(700 * K), {}, 413],
    ['a batch over the limit, length declared', 'POST', '/v1/batch', filler(700 * K), { 'content-length': String(700 * K) }, 413],
    ['declared gzip but not gzip', 'POST', '/v1/batch', filler(300 * K), { 'content-encoding': 'gzip' }, 400],
    ['truncated gzip', 'POST', '/v1/batch', async () => (await gzip(bigJson)).slice(0, 20 * K), { 'content-encoding': 'gzip' }, 400],
    ['an encoding not accepted', 'POST', '/v1/batch', filler(300 * K), { 'content-encoding': 'br' }, 415],
    ['a multipart form', 'POST', '/v1/batch', filler(300 * K), { 'content-type': 'multipart/form-data; boundary=x' }, 415],
    ['an unknown write key', 'POST', '/v1/track', text(JSON.stringify({ writeKey: 'nope', pad: 'x'.repeat(20 * K) })), {}, 401],
    ['a method the route does not take', 'PUT', '/v1/batch', filler(300 * K), {}, 404],
    ['an unknown API route', 'POST', '/v1/nothing', filler(300 * K), {}, 404],
    ['an admin route with a wrong token', 'DELETE', '/v1/profiles/x', filler(300 * K), { authorization: 'Bearer wrong' }, 401],
    ['a preflight', 'OPTIONS', '/v1/batch', filler(300 * K), { origin: ORIGIN, 'access-control-request-method': 'POST' }, 204],
    ['a page posted to', 'POST', '/', filler(300 * K), {}, 405],
    ['an asset deleted', 'DELETE', '/attune.js', filler(300 * K), {}, 405],
    ['an unknown method on a page', 'PURGE', '/', filler(300 * K), {}, 405],
    ['a missing page', 'POST', '/no-such-page', filler(300 * K), {}, 404],
  ];
  for (let [name, method, path, bytes, headers, status] of cases)
    it(`${name}: ${method} ${path} answers ${status}`, async () => {
      if (typeof bytes === 'function') bytes = await bytes();
      const { stream, state } = watched(bytes);
      const res = await send(method, path, stream, headers);
      // Asserted before the answer's own body is touched: the answer was handed back only after the read.
      expect({ status: res.status, sent: state.sent, ended: state.ended }).toEqual({ status, sent: bytes.byteLength, ended: true });
      await res.arrayBuffer();
    });

  it('reads a bounded amount, then cancels the rest', async () => {
    const { stream, state } = watched(filler(200 * K));
    await settleBody(stream, 64 * K);
    expect(state.cancelled).toBe(true);
    expect(state.sent).toBeLessThanOrEqual(64 * K + 16 * K);
  });
});

describe('a body is JSON whatever its content-type', () => {
  for (const type of ['application/x-www-form-urlencoded', 'application/vnd.segment+json', 'text/plain;charset=UTF-8', 'application/octet-stream', undefined])
    it(`accepts a batch sent as ${type ?? 'no content-type'}`, async () => {
      const anon = uid('label');
      const res = await send('POST', '/v1/batch', batchOf(anon, 2), type ? { 'content-type': type } : {});
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await profileOf(anon)).counters['Body Test']!.count).toBe(2);
    });

  it('accepts gzip JSON labelled application/x-www-form-urlencoded, as @rudderstack/rudder-sdk-node sends it', async () => {
    const anon = uid('rudder');
    const res = await send('POST', '/v1/batch', await gzip(text(batchOf(anon, 3))), { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await profileOf(anon)).counters['Body Test']!.count).toBe(3);
  });

  it('refuses a real form body with a 400 that says JSON is expected and names the content-type', async () => {
    const res = await send('POST', '/v1/batch', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^the body is not valid JSON \(content-type application\/x-www-form-urlencoded; every body is read as JSON/);
  });

  it('refuses multipart with a 415 that says to send the JSON object itself', async () => {
    const form = new FormData();
    form.set('writeKey', 'demo');
    const res = await send('POST', '/v1/batch', form);
    expect(res.status).toBe(415);
    expect(await error(res)).toMatch(/content-type multipart\/form-data is not accepted: send the JSON object itself/);
  });

  it('says when gzip decompresses past the limit', async () => {
    const bomb = await gzip(new Uint8Array(4 * 1024 * K)); // 4 MB of zeros, ~4 KB compressed
    const res = await send('POST', '/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(await error(res)).toMatch(/the body \(decompressed\) is over the limit of 512000 bytes a batch/);
  });
});
