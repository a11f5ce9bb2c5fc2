// Keys, origins, limits and rate limits answer 4xx that say what; never a 5xx.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/contract/index.js';
import { createApp } from '../../src/index.js';
import { ORIGIN, post, track, uid } from './helpers.js';

const error = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('refusals', () => {
  it('names the missing or unknown write key', async () => {
    const anon = uid();
    let res = await post('/v1/batch', { batch: [track(anon, 'x')] });
    expect(res.status).toBe(401);
    expect(await error(res)).toMatch(/missing write key/);
    res = await post('/v1/batch', { writeKey: 'nope', batch: [track(anon, 'x')] });
    expect(res.status).toBe(401);
    expect(await error(res)).toMatch(/unknown write key "nope"/);
  });

  it('answers 413 naming the limit for a batch and an event', async () => {
    const big = 'x'.repeat(LIMITS.batchBytes);
    let res = await post('/v1/batch', { writeKey: 'demo', batch: [track(uid(), 'x', { properties: { big } })] });
    expect(res.status).toBe(413);
    expect(await error(res)).toMatch(String(LIMITS.batchBytes));
    res = await post('/v1/track', { writeKey: 'demo', ...track(uid(), 'x', { properties: { big: big.slice(0, LIMITS.eventBytes) } }) });
    expect(res.status).toBe(413);
    expect(await error(res)).toMatch(String(LIMITS.eventBytes));
    // An oversized event inside a batch is named; the rest of the batch is kept.
    res = await post('/v1/batch', { writeKey: 'demo', batch: [track(uid(), 'ok'), track(uid(), 'x', { properties: { big: big.slice(0, LIMITS.eventBytes) } })] });
    expect(await res.json()).toMatchObject({ success: true, rejected: [{ index: 1, path: 'batch[1]', message: expect.stringMatching(/32768/) }] });
  });

  it('says what is wrong with malformed bodies', async () => {
    const cases: [string, RequestInit, number, RegExp][] = [
      ['bad JSON', { body: '{"batch": [' }, 400, /not valid JSON/],
      ['empty', { body: '' }, 400, /empty/],
      ['array', { body: '[]' }, 400, /must be a JSON object, got an array/],
      ['form', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, /not valid JSON \(content-type application\/x-www-form-urlencoded/],
      ['br', { body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'br' } }, 415, /content-encoding br/],
      ['fake gzip', { body: '{"x":1}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }, 400, /gzip/],
      ['empty batch', { body: JSON.stringify({ writeKey: 'demo', batch: [] }) }, 400, /batch: must hold at least one event/],
      ['no batch', { body: JSON.stringify({ writeKey: 'demo' }) }, 400, /batch/],
    ];
    for (const [name, init, status, msg] of cases) {
      const res = await SELF.fetch(`${ORIGIN}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, ...init });
      expect(res.status, name).toBe(status);
      expect(await error(res), name).toMatch(msg);
    }
    expect((await SELF.fetch(`${ORIGIN}/v1/batch`)).status).toBe(404);
  });

  it('rejects deep nesting, naming the path; keys like "__proto__" are data (hostile-names.test.ts)', async () => {
    const anon = uid();
    const deep = JSON.parse('{"a":'.repeat(12) + '1' + '}'.repeat(12));
    const res = await post('/v1/batch', {
      writeKey: 'demo',
      batch: [
        JSON.parse(`{"type":"track","event":"x","anonymousId":"${anon}","messageId":"p1","properties":{"__proto__":{"admin":true}}}`),
        track(anon, 'y', { messageId: 'd1', properties: deep }),
      ],
    });
    const body = (await res.json()) as { rejected: { path: string; message: string }[] };
    expect(body.rejected.map((r) => r.path)).toEqual([expect.stringMatching(/^batch\[1\]\.properties\.a\.a/)]);
    expect(body.rejected[0]!.message).toMatch(/nested deeper than 8/);
  });

  it('rate-limits per key and client with 429 and a Retry-After the tracker can read', async () => {
    const app = createApp({ sites: { demo: { writeKey: 'demo', allowedOrigins: [ORIGIN], retentionDays: 30, rateLimitPerMinute: 3 } } });
    const send = (ip: string) =>
      app.fetch(
        new Request(`${ORIGIN}/v1/batch`, { method: 'POST', headers: { origin: ORIGIN, 'cf-connecting-ip': ip }, body: JSON.stringify({ writeKey: 'demo', batch: [track(uid(), 'x')] }) }),
        env,
      );
    const ip = `10.0.0.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 3; i++) expect((await send(ip)).status).toBe(200);
    const res = await send(ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await send(`${ip}1`)).status).toBe(200); // another client is not held back
  });

  it('lets same-origin pages send without listing their origin', async () => {
    const res = await SELF.fetch('https://shop.example/v1/batch', { method: 'POST', headers: { origin: 'https://shop.example' }, body: JSON.stringify({ writeKey: 'demo', batch: [track(uid(), 'x')] }) });
    expect(res.status).toBe(200);
  });
});
