// The log Queue's consumer (src/log/consume.ts) under the Queue's own failure modes: a batch delivered again, a
// consumer that crashes mid-batch (D1 failing after part of the work), a message it cannot read. In each case
// every event is counted once in the log, the recommendation statistics and the bot counts.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import type { AcceptedEvent } from '../../src/contract/events.js';
import { dayPrefix } from '../../src/archive/layout.js';
import { readDay } from '../../src/archive/read.js';
import { logMessages, type LogMessage, type SettleMessage } from '../../src/log/queue-message.js';
import { partnerKey } from '../../src/recs/kv-layout.js';
import { PASS_EVERY_MS } from '../../src/recs/materialize.js';
import { atTime } from '../../../../test/clock.js';
import { d1Count, uid } from './helpers.js';

const at = new Date().toISOString();

function scenario() {
  const anon = uid('consumer');
  const [a, b] = [uid('p'), uid('p')];
  const events = Array.from({ length: 30 }, (_, i) => ({
    type: 'track',
    event: 'Product Viewed',
    messageId: uid('m'),
    anonymousId: anon,
    timestamp: at,
    receivedAt: at,
    properties: { product_id: i % 2 ? a : b },
  })) as AcceptedEvent[];
  const recs = [{ claim: `${anon}|${events[0]!.messageId}`, items: [[a, 15, 15], [b, 15, 15]], pairs: [['viewed', a, b, 1], ['viewed', b, a, 1]] }] as LogMessage['recs'];
  const bots = [{ messageId: uid('bot'), day: at.slice(0, 10), family: 'Googlebot' }];
  // Small messages, so the scenario spans several: the consumer sees a batch as the Queue would deliver it.
  const messages = logMessages('demo', at, { events, recs, bots }, 2_000);
  return { anon, a, b, events, bots, messages };
}

const batchOf = (messages: LogMessage[], ids: string[], attempts = 1) =>
  createMessageBatch<LogMessage>('attune-log', messages.map((body, i) => ({ id: ids[i]!, timestamp: new Date(), attempts, body })));

async function deliver(batch: MessageBatch<LogMessage>, e: typeof env = env) {
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, e, ctx);
  return getQueueResult(batch, ctx);
}

async function counts(s: ReturnType<typeof scenario>) {
  const items = await env.EVENTS.prepare("SELECT item, popular FROM rec_items WHERE site = 'demo' AND item IN (?1, ?2) ORDER BY item").bind(s.a, s.b).all();
  const pairs = await env.EVENTS.prepare("SELECT sum(n) AS n FROM rec_pairs WHERE site = 'demo' AND kind = 'viewed' AND a IN (?1, ?2)").bind(s.a, s.b).first<{ n: number }>();
  const bots = await env.EVENTS.prepare("SELECT count(*) AS n FROM bot_event_ids WHERE site = 'demo' AND message_id = ?1").bind(s.bots[0]!.messageId).first<{ n: number }>();
  // The archive through Attune's reader: every event of the day, repeated message ids dropped.
  const archived = (await readDay(env.ARCHIVE, env.EVENTS, 'demo', at.slice(0, 10))).filter((e) => e.anonymousId === s.anon).length;
  return { logged: await d1Count('anonymous_id = ?1', s.anon), archived, items: items.results.map((r) => r.popular), pairs: pairs?.n ?? 0, bots: bots?.n ?? 0 };
}

/** The files of the scenario's messages in the archive's day partition. */
const partsOf = async (ids: string[]) => (await env.ARCHIVE.list({ prefix: dayPrefix('demo', at.slice(0, 10)) })).objects.filter((o) => ids.some((id) => o.key.includes(id))).length;

const once = { logged: 30, archived: 30, items: [15, 15], pairs: 2, bots: 1 };

describe('the log consumer', () => {
  it('counts a batch the Queue delivers twice once, and acknowledges it both times', async () => {
    const s = scenario();
    expect(s.messages.length).toBeGreaterThan(3);
    const ids = s.messages.map(() => uid('q'));
    const first = await deliver(batchOf(s.messages, ids));
    expect(first.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await counts(s)).toEqual(once);
    expect(await partsOf(ids)).toBe(ids.length);
    const again = await deliver(batchOf(s.messages, ids, 2));
    expect(again.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await counts(s)).toEqual(once);
    expect(await partsOf(ids)).toBe(ids.length); // a redelivery overwrites its own files
  });

  it('counts once when a client retry put the same events in other messages of the same batch', async () => {
    const s = scenario();
    const twice = [...s.messages, ...s.messages];
    await deliver(batchOf(twice, twice.map(() => uid('q'))));
    expect(await counts(s)).toEqual(once);
  });

  it('retries every message of a batch whose D1 write failed, and the redelivery counts each event once', async () => {
    const s = scenario();
    const ids = s.messages.map(() => uid('q'));
    // The consumer crashes mid-batch: its schema checks and reads pass, the batch write fails.
    const failing = new Proxy(env.EVENTS, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown;
        if (prop === 'batch') return () => Promise.reject(new Error('injected: D1 failed mid-batch'));
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const crashed = await deliver(batchOf(s.messages, ids), { ...env, EVENTS: failing });
    expect(crashed.explicitAcks).toEqual([]);
    expect(crashed.retryMessages.map((m) => m.msgId).sort()).toEqual([...ids].sort());
    // The archive's files were written before the crash; the D1 log and statistics hold nothing of it.
    expect(await counts(s)).toEqual({ ...once, logged: 0, items: [], pairs: 0, bots: 0 });
    const redelivered = await deliver(batchOf(s.messages, ids, 2));
    expect(redelivered.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await counts(s)).toEqual(once);
  });

  it('takes a batch whose recommendation rows outgrow one D1 value (orders pairing many products), counting each once', async () => {
    // Seen in the ingest bench: 47 shop messages failed with SQLITE_TOOBIG on every redelivery.
    const anon = uid('shop');
    const products = Array.from({ length: 40 }, (_, i) => `${uid('product')}-${'x'.repeat(40)}-${i}`);
    const pairs = products.flatMap((a) => products.filter((b) => b !== a).map((b) => ['bought', a, b, 1]));
    const recs = Array.from({ length: 12 }, (_, i) => ({ claim: `${anon}|order-${i}`, items: products.map((p) => [p, 1, 1]), pairs })) as LogMessage['recs'];
    const events = [{ type: 'track', event: 'Order Completed', messageId: uid('m'), anonymousId: anon, timestamp: at, receivedAt: at }] as AcceptedEvent[];
    const messages = logMessages('demo', at, { events, recs, bots: [] });
    expect(JSON.stringify(recs).length).toBeGreaterThan(800_000);
    const ids = messages.map(() => uid('q'));
    const done = await deliver(batchOf(messages, ids));
    expect(done.retryMessages).toEqual([]);
    expect(done.explicitAcks.sort()).toEqual([...ids].sort());
    const sum = (sql: string) => env.EVENTS.prepare(sql).bind(JSON.stringify(products)).first<{ n: number }>();
    expect((await sum("SELECT sum(n) AS n FROM rec_pairs WHERE site = 'demo' AND kind = 'bought' AND a IN (SELECT value FROM json_each(?1))"))?.n).toBe(12 * pairs.length);
    expect((await sum("SELECT sum(popular) AS n FROM rec_items WHERE site = 'demo' AND item IN (SELECT value FROM json_each(?1))"))?.n).toBe(12 * products.length);
  });

  it("asks for the next pass of recommendation copies through the Queue instead of waiting for it, and that note's pass copies the list", async () => {
    const sends: { body: unknown; delaySeconds?: number }[] = [];
    const queue = { send: async (body: unknown, o?: QueueSendOptions) => void sends.push({ body, delaySeconds: o?.delaySeconds }) } as unknown as Queue;
    const withQueue = { ...env, LOG_QUEUE: queue };
    // A site of its own: its pass lease is this test's alone (the suite's clock may start each test anew).
    const site = uid('settle-site');
    const [a, b, c] = [uid('p'), uid('p'), uid('p')];
    const pairsOf = (x: string, y: string) => ({ claim: uid('claim'), items: [[x, 1, 1], [y, 1, 1]], pairs: [['viewed', x, y, 1], ['viewed', y, x, 1]] });
    const batch = (recs: LogMessage['recs']) => logMessages(site, at, { events: [], recs, bots: [] });
    await deliver(batchOf(batch([pairsOf(a, b)]), [uid('q')]), withQueue);
    // Within the pass's interval the lease is taken: this batch's mark waits, and the batch is acknowledged at once.
    const started = Date.now();
    const second = await deliver(batchOf(batch([pairsOf(b, c)]), [uid('q')]), withQueue);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(second.explicitAcks).toHaveLength(1);
    const note = sends.at(-1)!;
    expect(note).toEqual({ body: { v: 1, settle: 'recs', site } satisfies SettleMessage, delaySeconds: 6 });
    const listOfB = async () => ((await env.PROFILES.get(await partnerKey(site, 'viewed', b), 'json')) as [string, number][] | null)?.map(([id]) => id) ?? [];
    expect(await listOfB()).not.toContain(c);
    // The Queue delivers the note after its delay: the clock moved on by one pass interval (a moved clock rather
    // than a sleep, so the suite's own clock, ATTUNE_TEST_CLOCK, holds too).
    const later = new Date(started + PASS_EVERY_MS + 300).toISOString();
    const pass = await atTime(later, () => deliver(createMessageBatch('attune-log', [{ id: uid('q'), timestamp: new Date(), attempts: 1, body: note.body }]) as MessageBatch<LogMessage>, withQueue));
    expect(pass.explicitAcks).toHaveLength(1);
    expect(await listOfB()).toContain(c);
  });

  it('adds trend increments of any size (they grow as 2^(weeks since the epoch)) without an integer overflow', async () => {
    const item = uid('p');
    // Early 2027 a view's trend weight passes 10^17; JSON gives it as an integer, and sum() of such overflowed.
    const big = 2 ** 62;
    const recs = Array.from({ length: 4 }, () => ({ claim: uid('claim'), items: [[item, 1, big]], pairs: [] })) as LogMessage['recs'];
    const messages = logMessages('demo', at, { events: [], recs, bots: [] });
    const done = await deliver(batchOf(messages, messages.map(() => uid('q'))));
    expect(done.retryMessages).toEqual([]);
    const row = await env.EVENTS.prepare("SELECT popular, trend FROM rec_items WHERE site = 'demo' AND item = ?1").bind(item).first<{ popular: number; trend: number }>();
    expect(row).toEqual({ popular: 4, trend: 4 * big });
  });

  it('leaves a message it cannot read for the dead-letter queue, and still takes the others', async () => {
    const s = scenario();
    const ids = [...s.messages.map(() => uid('q')), uid('odd')];
    const batch = createMessageBatch<unknown>('attune-log', [...s.messages, { v: 2, site: 'demo' }].map((body, i) => ({ id: ids[i]!, timestamp: new Date(), attempts: 1, body })));
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([ids.at(-1)]);
    expect(result.explicitAcks.length).toBe(s.messages.length);
    expect(await counts(s)).toEqual(once);
  });
});
