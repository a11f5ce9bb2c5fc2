// Edge faults injected inside workerd: a profile's Durable Object throwing mid-merge, KV (the read model)
// failing, the log Queue refusing messages (D1 failing under the Queue's consumer: log-consumer.test.ts). Each fault is switched on for one object or one request only, from
// the test (runInDurableObject patches the live instance; the Worker is called with a wrapped binding), so
// nothing in src can turn it on. In every case: the batch is not acknowledged while the fault lasts, the
// client's retry is, and every acknowledged event is counted once in the profile and once in the log.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import type { Profile } from '../../src/contract/index.js';
import { createApp } from '../../src/index.js';
import { ensureSchema } from '../../src/log/event-log.js';
import type { ProfileWriter } from '../../src/profile/writer.js';
import { d1Count, kvProfile, logSettled, ORIGIN, post, profileOf, track, uid } from './helpers.js';

const EVENTS_PER_BATCH = 25;

const writerOf = (anonymousId: string) => env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName(`demo|a:${anonymousId}`));

/** A batch of `n` events of one name for one visitor, with fresh messageIds. */
function batchOf(anonymousId: string, name: string, n = EVENTS_PER_BATCH) {
  return { writeKey: 'demo', batch: Array.from({ length: n }, () => track(anonymousId, name, { context: { consent: { analytics: true, personalization: true } } })) };
}

const countOf = (p: Profile | null, name: string) => p?.counters[name]?.count ?? 0;

/** Sends like a Segment client: a 5xx is retried (the same body, so the same messageIds); a 200 ends it. */
async function sendUntilAcknowledged(send: () => Promise<Response>, maxAttempts: number) {
  const statuses: number[] = [];
  for (let i = 0; i < maxAttempts; i++) {
    const res = await send();
    await res.arrayBuffer();
    statuses.push(res.status);
    if (res.status === 200) break;
    if (res.status < 500) throw new Error(`refused with ${res.status}: not a fault this test injects`);
  }
  return statuses;
}

type Patchable = Record<string, unknown>;

// The log's tables are made by the first ingest; these tests count rows before any may have run.
beforeAll(() => ensureSchema(env.EVENTS));

describe('a Durable Object throwing mid-merge', () => {
  it('answers 5xx, stores nothing of the batch, and applies the retry once', async () => {
    const anon = uid('fault-do');
    const name = 'Fault DO Throw';
    // The throw comes after the events were applied to the profile in memory and their messageIds remembered,
    // before the commit: the worst point, where a half-done merge could leave the ids marked as seen.
    let throws = 1;
    await runInDurableObject(writerOf(anon), (instance: ProfileWriter) => {
      const o = instance as unknown as Patchable;
      const original = o.segmentsOf as (...a: unknown[]) => unknown;
      o.segmentsOf = function (this: unknown, ...a: unknown[]) {
        if (throws-- > 0) throw new Error('injected: the writer failed mid-merge');
        return original.apply(this, a);
      };
    });
    const body = batchOf(anon, name);
    const ids = body.batch.map((e) => e.messageId);

    const first = await post('/v1/batch', body);
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(await d1Count('message_id IN (SELECT value FROM json_each(?1))', JSON.stringify(ids))).toBe(0);

    const statuses = await sendUntilAcknowledged(() => post('/v1/batch', body), 3);
    expect(statuses).toEqual([200]);
    expect(throws).toBe(-1); // the fault fired once, and the retry went through the merge again

    const stored = countOf(await profileOf(`a:${anon}`), name);
    const logged = await d1Count('message_id IN (SELECT value FROM json_each(?1))', JSON.stringify(ids));
    console.log(`fault DO-throw: sent ${ids.length}, acknowledged ${ids.length}, stored in profile ${stored}, in log ${logged}, attempts ${statuses.length + 1}`);
    expect(stored).toBe(ids.length);
    expect(logged).toBe(ids.length);
    expect(countOf(await kvProfile(`a:${anon}`), name)).toBe(ids.length);
  });
});

describe('KV failing', () => {
  it('answers 5xx while KV is down; no acknowledged event is lost and the read model catches up', async () => {
    const anon = uid('fault-kv');
    const name = 'Fault KV';
    // The profile exists and is in KV before the fault.
    const before = batchOf(anon, name, 5);
    expect((await post('/v1/batch', before)).status).toBe(200);

    // KV refuses every write of this one object while `kvDown` is set.
    let kvDown = true;
    let refused = 0;
    await runInDurableObject(writerOf(anon), (instance: ProfileWriter) => {
      const o = instance as unknown as { env: Cloudflare.Env };
      const real = o.env.PROFILES;
      const failing = new Proxy(real, {
        get(target, prop) {
          const v = Reflect.get(target, prop) as unknown;
          if ((prop === 'put' || prop === 'delete') && typeof v === 'function')
            return (...a: unknown[]) => {
              if (!kvDown) return (v as (...x: unknown[]) => unknown).apply(target, a);
              refused++;
              return Promise.reject(new Error('injected: KV is unavailable'));
            };
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      o.env = { ...o.env, PROFILES: failing };
    });

    const during = batchOf(anon, name);
    const tries = await sendUntilAcknowledged(() => post('/v1/batch', during), 3);
    expect(tries.every((s) => s >= 500)).toBe(true); // never acknowledged while KV is down
    expect(refused).toBeGreaterThan(0);
    expect(countOf(await kvProfile(`a:${anon}`), name)).toBe(5); // the read model is behind...

    kvDown = false;
    // ...until the next write: a new batch publishes the profile with everything committed so far.
    const next = batchOf(anon, name, 3);
    expect((await post('/v1/batch', next)).status).toBe(200);
    expect(countOf(await kvProfile(`a:${anon}`), name)).toBe(5 + EVENTS_PER_BATCH + 3);
    // The client's retry of the unacknowledged batch is acknowledged, and applies nothing twice.
    expect(await sendUntilAcknowledged(() => post('/v1/batch', during), 3)).toEqual([200]);

    const ids = [...before.batch, ...during.batch, ...next.batch].map((e) => e.messageId);
    const stored = countOf(await profileOf(`a:${anon}`), name);
    const logged = await d1Count('message_id IN (SELECT value FROM json_each(?1))', JSON.stringify(ids));
    console.log(`fault KV-down: sent ${ids.length}, acknowledged ${ids.length}, stored in profile ${stored}, in KV ${countOf(await kvProfile(`a:${anon}`), name)}, in log ${logged}, KV writes refused ${refused}`);
    expect(stored).toBe(ids.length);
    expect(logged).toBe(ids.length);
    expect(countOf(await kvProfile(`a:${anon}`), name)).toBe(ids.length);
  });
});

/** Sends one batch while the handler's log Queue refuses messages, then retries it once the Queue is back. */
async function throughQueueOutage(name: string, body: { writeKey: string; batch: { messageId: string }[] } = batchOf(uid('fault-queue'), name)) {
  const app = createApp(config, catalog);
  let queueDown = true;
  let refused = 0;
  // The handler's LOG_QUEUE binding refuses sends while `queueDown` is set.
  const failingQueue = new Proxy(env.LOG_QUEUE, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (prop === 'send' || prop === 'sendBatch')
        return (...a: unknown[]) => {
          if (!queueDown) return (v as (...x: unknown[]) => unknown).apply(target, a);
          refused++;
          return Promise.reject(new Error('injected: the Queue is unavailable'));
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const send = async (body: unknown) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) }),
      { ...env, LOG_QUEUE: failingQueue },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
  const anon = (body.batch[0] as { anonymousId: string }).anonymousId;
  const ids = body.batch.map((e) => e.messageId);

  const down = await sendUntilAcknowledged(() => send(body), 2);
  expect(down.every((s) => s >= 500)).toBe(true);
  expect(refused).toBeGreaterThan(0);
  expect(await d1Count('message_id IN (SELECT value FROM json_each(?1))', JSON.stringify(ids))).toBe(0);
  // The profile's writer had committed the batch before the Queue failed: the read model already has it.
  const names = (body.batch as { event: string }[]).map((e) => e.event);
  const read = await kvProfile(`a:${anon}`);
  for (const n of new Set(names)) expect(countOf(read, n)).toBe(names.filter((x) => x === n).length);

  queueDown = false;
  expect(await sendUntilAcknowledged(() => send(body), 3)).toEqual([200]);
  return { anon, ids, refused, send: () => send(body) };
}

describe('the log Queue failing', () => {
  it('answers 5xx while the Queue refuses messages; the retry logs every event once and counts none twice', async () => {
    const name = 'Fault Queue';
    const { anon, ids, refused } = await throughQueueOutage(name);
    const stored = countOf(await profileOf(`a:${anon}`), name);
    const logged = await d1Count('message_id IN (SELECT value FROM json_each(?1))', JSON.stringify(ids));
    console.log(`fault queue-down: sent ${ids.length}, acknowledged ${ids.length}, stored in profile ${stored}, in log ${logged}, sends refused ${refused}`);
    expect(stored).toBe(ids.length);
    expect(logged).toBe(ids.length);
  });

  // The segment entries a batch causes are derived once, by the merge; the retry of a batch whose enqueue
  // failed merges nothing new, so the writer hands back what the first delivery derived (profile/derived-events.ts).
  it('logs the segment entries of a batch whose first enqueue failed, once', async () => {
    const { anon } = await throughQueueOutage('Fault Queue Segments');
    const segments = Object.keys((await profileOf(`a:${anon}`)).segments);
    expect(segments).toContain('new-visitor');
    expect(await d1Count("anonymous_id = ?1 AND name = 'Segment Entered'", anon)).toBe(segments.length);
  });

  // The increments are derived by the writer too (recs/stats.ts), handed back on the retry, and counted once by
  // their claim: the retry after the outage adds them, a repeat of the acknowledged batch adds nothing.
  it('adds the recommendation increments of a batch whose first enqueue failed, once', async () => {
    const anon = uid('fault-queue-recs');
    const [seen, x, y] = [uid('viewed'), uid('bought'), uid('bought')];
    const consent = { context: { consent: { analytics: true, personalization: true } } };
    const body = {
      writeKey: 'demo',
      batch: [
        ...Array.from({ length: 3 }, () => track(anon, 'Product Viewed', { ...consent, properties: { product_id: seen } })),
        track(anon, 'Order Completed', { ...consent, properties: { order_id: uid('o'), products: [{ product_id: x }, { product_id: y }] } }),
      ],
    };
    const { send } = await throughQueueOutage('Fault Queue Recs', body);
    const stats = async () => ({
      settled: await logSettled(),
      popular: (await env.EVENTS.prepare("SELECT item, popular FROM rec_items WHERE site = 'demo' AND item IN (?1, ?2, ?3) ORDER BY item").bind(seen, x, y).all()).results,
      pairs: (await env.EVENTS.prepare("SELECT a, b, n FROM rec_pairs WHERE site = 'demo' AND kind = 'bought' AND a IN (?1, ?2) ORDER BY a").bind(x, y).all()).results,
    });
    const expected = {
      settled: undefined,
      popular: [{ item: seen, popular: 3 }, { item: x, popular: 5 }, { item: y, popular: 5 }].sort((a, b) => (a.item < b.item ? -1 : 1)),
      pairs: [{ a: x, b: y, n: 1 }, { a: y, b: x, n: 1 }].sort((a, b) => (a.a < b.a ? -1 : 1)),
    };
    expect(await stats()).toEqual(expected);
    expect((await send()).status).toBe(200); // the answer was lost, say: the client sends it again
    expect(await stats()).toEqual(expected);
  });
});
