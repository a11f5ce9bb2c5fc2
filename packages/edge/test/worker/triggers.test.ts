// Triggers end to end in workerd: events in through /v1/batch, a timer in the profile's Durable Object, its
// alarm delivering to a test receiver (outbound fetch stubbed in this isolate, where the object also runs).
// The demo config has `cart-reminder` (cart-abandoned, 30 minutes) → https://hooks.example.com/attune,
// signed with ATTUNE_WEBHOOK_SECRET (vitest.config.ts sets it to 'test-webhook-secret').
import { createHmac } from 'node:crypto';
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { writer } from '../../src/profile/keys.js';
import type { TimerRow } from '../../src/profile/timers.js';
import { admin, ORIGIN, post, track, uid } from './helpers.js';

const RECEIVER = 'https://hooks.example.com/attune';
const SECRET = 'test-webhook-secret';
interface Received { headers: Headers; body: string; json: { id: string; trigger: string; kind: string; profileId: string; anonymousId?: string; data: Record<string, unknown> } }
const received: Received[] = [];
/** Status the receiver answers, per anonymous id (200 unless set). */
const answers = new Map<string, number>();
/** A delivery for this anonymous id waits for the promise before it is answered (once). */
const holds = new Map<string, Promise<void>>();

beforeAll(() => {
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    if (!req.url.startsWith(RECEIVER)) return real(input as RequestInfo, init);
    const body = await req.text();
    const r: Received = { headers: req.headers, body, json: JSON.parse(body) };
    received.push(r);
    const hold = holds.get(r.json.anonymousId ?? '');
    holds.delete(r.json.anonymousId ?? '');
    await hold;
    return new Response('ok', { status: answers.get(r.json.anonymousId ?? '') ?? 200 });
  });
});
afterAll(() => vi.restoreAllMocks());

const granted = { consent: { analytics: true, personalization: true } };
const send = async (anon: string, events: Record<string, unknown>[], context: Record<string, unknown> = granted) => {
  const res = await post('/v1/batch', { writeKey: 'demo', batch: events.map((e) => ({ ...e, context })) }, { origin: ORIGIN });
  expect(res.status).toBe(200);
};
const add = (anon: string) => track(anon, 'Product Added', { properties: { product_id: 'cle-001', price: 12.9, quantity: 1 } });
const stub = (anon: string) => writer(env.PROFILE_WRITER, 'demo', `a:${anon}`);
const timersOf = (anon: string) =>
  runInDurableObject(stub(anon), (_, state) =>
    state.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'timers'").toArray().length
      ? (state.storage.sql.exec('SELECT * FROM timers').toArray() as unknown as TimerRow[])
      : [],
  );
/** Moves every pending timer into the past and runs the object's alarm, as if the time had come. */
const elapse = async (anon: string) => {
  await runInDurableObject(stub(anon), (_, state) => void state.storage.sql.exec("UPDATE timers SET due = 0 WHERE status = 'pending'"));
  expect(await runDurableObjectAlarm(stub(anon))).toBe(true);
};
const deliveriesTo = (anon: string) => received.filter((r) => r.json.anonymousId === anon);
const logOf = async (anon: string) =>
  (await env.EVENTS.prepare('SELECT attempt, outcome, status FROM trigger_log WHERE profile_id = ? ORDER BY attempt').bind(`a:${anon}`).all()).results;

describe('cart abandoned', () => {
  it('fires once after the delay, signed, with an idempotency key', async () => {
    const anon = uid('anon');
    const before = Date.now();
    await send(anon, [add(anon)]);
    const [timer] = await timersOf(anon);
    expect(timer).toMatchObject({ trigger_id: 'cart-reminder', status: 'pending', attempts: 0 });
    expect(timer!.due - before).toBeGreaterThanOrEqual(30 * 60_000 - 5_000); // the trigger's 30 minutes, from the cart change
    expect(timer!.due - before).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    expect(deliveriesTo(anon)).toHaveLength(0); // nothing on the ingest path

    await elapse(anon);
    const [hit] = deliveriesTo(anon);
    expect(hit!.json).toMatchObject({ trigger: 'cart-reminder', kind: 'cart-abandoned', site: 'demo', profileId: `a:${anon}`, data: { cart: [{ productId: 'cle-001', quantity: 1 }] } });
    expect(hit!.headers.get('idempotency-key')).toBe(hit!.json.id);
    expect(hit!.json.id).toMatch(new RegExp(`^demo:a:${anon}:cart-reminder:`));
    // The receiver's check, done with node:crypto: t=<unix>,v1=HMAC-SHA256(secret, "t.body").
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hit!.headers.get('attune-signature') ?? '') ?? [];
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${hit!.body}`).digest('hex'));
    expect(v1).not.toBe(createHmac('sha256', 'another-secret').update(`${t}.${hit!.body}`).digest('hex'));

    // Once: a later alarm (and the same batch sent again) does not send it again.
    await runDurableObjectAlarm(stub(anon));
    expect(deliveriesTo(anon)).toHaveLength(1);
    expect((await timersOf(anon))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await logOf(anon)).toEqual([{ attempt: 1, outcome: 'delivered', status: 200 }]);

    // Erasing the profile erases its timers and its log rows too.
    expect((await admin(`/v1/profiles/${anon}`, 'DELETE')).status).toBe(200);
    expect(await timersOf(anon)).toEqual([]);
    expect(await logOf(anon)).toEqual([]);
  });

  it('is cancelled by an order before the delay; the order schedules the refill reminder instead', async () => {
    const anon = uid('anon');
    await send(anon, [add(anon)]);
    const ordered = Date.now();
    await send(anon, [track(anon, 'Order Completed', { properties: { order_id: uid('o'), revenue: 12.9, products: [{ product_id: 'cle-001', price: 12.9 }] } })]);
    const timers = await timersOf(anon);
    expect(timers.find((t) => t.trigger_id === 'cart-reminder')).toMatchObject({ status: 'cancelled' });
    const refill = timers.find((t) => t.trigger_id === 'refill-reminder');
    expect(Math.round((refill!.due - ordered) / 86_400_000)).toBe(45); // the demo trigger's 45 days (no replenishDays in the catalog)
    await runInDurableObject(stub(anon), (_, state) => void state.storage.sql.exec('UPDATE timers SET due = 0'));
    await runDurableObjectAlarm(stub(anon));
    expect(deliveriesTo(anon).map((r) => [r.json.trigger, r.json.data.productId])).toEqual([['refill-reminder', 'cle-001']]);
  });

  it('is re-checked when due: an order that arrived meanwhile cancels it then', async () => {
    const anon = uid('anon');
    await send(anon, [add(anon)]);
    // The order lands in the profile without passing through planning (as if the config had no trigger then).
    await runInDurableObject(stub(anon), (_, state) => {
      const p = JSON.parse(state.storage.sql.exec<{ v: string }>("SELECT v FROM state WHERE k = 'profile'").one().v);
      p.commerce.lastOrder = { revenue: 12.9, at: new Date().toISOString() };
      state.storage.sql.exec("UPDATE state SET v = ? WHERE k = 'profile'", JSON.stringify(p));
    });
    await elapse(anon);
    expect(deliveriesTo(anon)).toHaveLength(0);
    expect((await timersOf(anon))[0]).toMatchObject({ status: 'cancelled' });
    expect(await logOf(anon)).toEqual([{ attempt: 0, outcome: 'cancelled', status: null }]);
  });

  it('retries a failing receiver with backoff, then marks it failed', async () => {
    const anon = uid('anon');
    answers.set(anon, 503);
    await send(anon, [add(anon)]);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await elapse(anon);
      const [t] = await timersOf(anon);
      if (t!.status === 'pending') waits.push(Math.round((t!.due - Date.now()) / 60_000));
    }
    expect(waits).toEqual([1, 5, 30, 120]);
    expect((await timersOf(anon))[0]).toMatchObject({ status: 'failed', attempts: 5 });
    expect(deliveriesTo(anon)).toHaveLength(5);
    expect(new Set(deliveriesTo(anon).map((r) => r.headers.get('idempotency-key'))).size).toBe(1); // one key on every retry
    expect((await logOf(anon)).map((r) => r.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'failed']);
  });
});

describe('consent', () => {
  it('schedules nothing for a visitor who has not granted personalization', async () => {
    const anon = uid('anon');
    await send(anon, [add(anon)], { consent: { analytics: true, personalization: false } });
    expect(await timersOf(anon)).toEqual([]);
    const other = uid('anon');
    await send(other, [add(other)], {});
    expect(await timersOf(other)).toEqual([]);
  });
});

describe('a config with a bad trigger', () => {
  it('is refused with the path of the mistake, and the current config keeps serving', async () => {
    const headers = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
    const bad = structuredClone(config) as typeof config & { triggers: Record<string, unknown>[] };
    bad.triggers = [...bad.triggers, { id: 'vip', on: 'segment-entered', webhook: { url: 'not a url', secretEnv: 'ATTUNE_WEBHOOK_SECRET' } }];
    const res = await SELF.fetch(`${ORIGIN}/v1/config`, { method: 'PUT', headers, body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as { errors: { path: string; message: string }[] };
    const at = `triggers[${config.triggers.length}]`;
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining([`${at}.webhook.url`, `${at}.segment`]));
    const served = (await (await SELF.fetch(`${ORIGIN}/v1/config`, { headers })).json()) as { config: { triggers: unknown[] } };
    expect(served.config.triggers).toHaveLength(config.triggers.length);
  });
});

describe('birthday and segment-entered', () => {
  it('a birthday fires on the day and arms next year\'s; entering a segment fires at once', async () => {
    const headers = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
    const put = (body: unknown) => SELF.fetch(`${ORIGIN}/v1/config`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const webhook = { url: RECEIVER, secretEnv: 'ATTUNE_WEBHOOK_SECRET' };
    const withMore = { ...config, triggers: [...config.triggers, { id: 'bday', on: 'birthday', webhook }, { id: 'dry-in', on: 'segment-entered', segment: 'dry-skin', webhook }] };
    expect((await put(withMore)).status).toBe(200);
    try {
      const anon = uid('anon');
      const day = new Date(Date.now() + 86_400_000); // tomorrow (UTC): always ahead, whatever the hour
      const birthday = `1990-${String(day.getUTCMonth() + 1).padStart(2, '0')}-${String(day.getUTCDate()).padStart(2, '0')}`;
      await send(anon, [
        { type: 'identify', messageId: uid('m'), anonymousId: anon, traits: { birthday, skinType: 'dry' } },
        track(anon, 'Question Answered', { properties: { quiz: 'skin-quiz', question: 'skin-type', answer: 'dry' } }),
      ]);
      const pending = await timersOf(anon);
      expect(pending.map((t) => t.trigger_id).sort()).toEqual(['bday', 'dry-in']);
      expect(new Date(pending.find((t) => t.trigger_id === 'bday')!.due).toISOString()).toBe(`${day.toISOString().slice(0, 10)}T09:00:00.000Z`);
      // The segment entry is due at once, so the object's own alarm may already be running it when the test makes
      // tomorrow's birthday due and runs the alarm (then the run finds nothing to do, and the birthday waited for
      // an alarm nobody set: CI, 2026-12-03). So it is made due and run again until both are delivered; never
      // next year's birthday, which the delivery arms.
      const fire = async () => {
        const beforeNextYear = Date.now() + 2 * 86_400_000;
        await runInDurableObject(stub(anon), (_, state) => void state.storage.sql.exec("UPDATE timers SET due = 0 WHERE status = 'pending' AND due < ?", beforeNextYear));
        await runDurableObjectAlarm(stub(anon));
      };
      const delivered = async () => (await timersOf(anon)).filter((t) => t.status === 'delivered');
      await vi.waitFor(
        async () => {
          if ((await delivered()).length < 2) await fire();
          expect(await delivered()).toHaveLength(2);
        },
        { timeout: 10_000, interval: 200 },
      );
      expect(deliveriesTo(anon).map((r) => r.json.trigger).sort()).toEqual(['bday', 'dry-in']);
      const next = (await timersOf(anon)).filter((t) => t.status === 'pending');
      expect(next.map((t) => [t.trigger_id, new Date(t.due).getUTCFullYear()])).toEqual([['bday', day.getUTCFullYear() + 1]]);
    } finally {
      await put(config); // leave the demo as it was
    }
  });

  it('a timer made due while the alarm is out delivering still gets an alarm when it returns', async () => {
    // CI, 2026-12-04: the alarm was out delivering the segment entry when the test made the birthday due at 0; the
    // alarm, back, read "none set" (0) as "set at 0" and set none, so the birthday never fired (lifetimes.ts).
    const headers = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
    const put = (body: unknown) => SELF.fetch(`${ORIGIN}/v1/config`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const webhook = { url: RECEIVER, secretEnv: 'ATTUNE_WEBHOOK_SECRET' };
    expect((await put({ ...config, triggers: [...config.triggers, { id: 'bday', on: 'birthday', webhook }, { id: 'dry-in', on: 'segment-entered', segment: 'dry-skin', webhook }] })).status).toBe(200);
    try {
      const anon = uid('anon');
      let release = () => {};
      holds.set(anon, new Promise<void>((r) => (release = r)));
      await send(anon, [
        { type: 'identify', messageId: uid('m'), anonymousId: anon, traits: { birthday: '1990-01-01', skinType: 'dry' } },
        track(anon, 'Question Answered', { properties: { quiz: 'skin-quiz', question: 'skin-type', answer: 'dry' } }),
      ]);
      // The object's own alarm is out delivering the segment entry, held by the receiver.
      await vi.waitFor(() => expect(deliveriesTo(anon).map((r) => r.json.trigger)).toEqual(['dry-in']), { timeout: 10_000, interval: 50 });
      await runInDurableObject(stub(anon), (_, state) => void state.storage.sql.exec("UPDATE timers SET due = 0 WHERE trigger_id = 'bday'"));
      release();
      const delivered = async () => (await timersOf(anon)).filter((t) => t.status === 'delivered').map((t) => t.trigger_id).sort();
      await vi.waitFor(async () => expect(await delivered()).toEqual(['bday', 'dry-in']), { timeout: 10_000, interval: 100 });
    } finally {
      await put(config);
    }
  });
});
