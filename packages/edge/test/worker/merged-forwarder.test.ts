// A profile merged into another becomes a forwarder to it, and stays one while the merged profile lives: its
// own retention alarm (set before the merge) must not drop the forwarding record, or the browser's later
// anonymous events would start a separate profile about a retention period after the visitor signed in.
// Runs on pinned instants (test/clock.ts): the Worker, its Durable Objects and this test share the clock.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { atTime } from '../../../../test/clock.js';
import type { ProfileWriter } from '../../src/profile/writer.js';
import { admin, kvProfile, post, profileOf, track, uid } from './helpers.js';

const DAY = 86_400_000;
const T0 = Date.parse('2030-01-15T10:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
const stubOf = (key: string) => env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName(`demo|${key}`)) as DurableObjectStub<ProfileWriter>;

/** Fires the object's alarm now (set explicitly: whatever alarm it held, the handler is what is tested). */
async function fireAlarm(key: string) {
  const stub = stubOf(key);
  await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

const ok = async (res: Response) => expect(res.status, await res.clone().text()).toBe(200);
const viewed = async (id: string) => (await profileOf(id)).counters['Product Viewed']?.count;

describe('a merged profile keeps its forwarders', () => {
  it("the absorbed id's alarm after the retention period keeps forwarding: the browser's later events reach the merged profile", async () => {
    const anon = uid('fwd-anon');
    const user = uid('fwd-user');

    // Day 0: the visitor browses anonymously, then signs in (the shop's server links both ids).
    await atTime(at(0), async () => {
      await ok(await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed'), track(anon, 'Product Viewed')] }));
      await ok(await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', messageId: uid(), userId: user, anonymousId: anon, timestamp: at(0) }] }));
      expect((await profileOf(anon)).id).toBe(`u:${user}`);
      expect(await viewed(user)).toBe(2);
    });

    // Day 200: the customer is active on another device (the merged profile lives on).
    await atTime(at(200), async () => {
      await ok(await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'track', event: 'Product Viewed', messageId: uid(), userId: user, timestamp: at(200) }] }));
    });

    // Day 400: past the retention (395 days) of the absorbed profile's last visit, its object's alarm fires…
    await atTime(at(400), async () => {
      await fireAlarm(`a:${anon}`);
      expect(await runInDurableObject(stubOf(`a:${anon}`), (w) => w.get())).toEqual({ profile: null, mergedInto: `u:${user}` });

      // …and the browser comes back signed out: its event lands on the merged profile, no separate profile appears.
      await ok(await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed')] }));
      const p = await profileOf(anon);
      expect(p.id).toBe(`u:${user}`);
      expect(await viewed(user)).toBe(4);
      expect(await kvProfile(`a:${anon}`)).toBeNull();
      expect((await kvProfile(`u:${user}`))!.counters['Product Viewed']!.count).toBe(4);
    });

    // Day 800: the merged profile was not seen for the retention period: its alarm erases it, forwarders included.
    await atTime(at(800), async () => {
      await fireAlarm(`u:${user}`);
      expect((await admin(`/v1/profiles/${anon}`)).status).toBe(404);
      expect((await admin(`/v1/profiles/${user}`)).status).toBe(404);
      expect(await runInDurableObject(stubOf(`a:${anon}`), (w) => w.get())).toEqual({ profile: null });
      expect(await env.PROFILES.get(`id:demo:a:${anon}`)).toBeNull();
    });
  });

  it("the merged profile's writes renew the absorbed id's KV mapping, which would otherwise lapse a retention period after the merge", async () => {
    const anon = uid('fwd-anon');
    const user = uid('fwd-user');
    await atTime(at(0), async () => {
      await ok(await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed')] }));
      await ok(await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', messageId: uid(), userId: user, anonymousId: anon, timestamp: at(0) }] }));
      expect(await env.PROFILES.get(`id:demo:a:${anon}`)).toBe(`u:${user}`);
    });
    // KV expires by its own clock, so the lapse of the mapping written on day 0 is played by deleting it.
    await env.PROFILES.delete(`id:demo:a:${anon}`);
    await atTime(at(200), async () => {
      await ok(await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'track', event: 'Product Viewed', messageId: uid(), userId: user, timestamp: at(200) }] }));
      expect(await env.PROFILES.get(`id:demo:a:${anon}`)).toBe(`u:${user}`);
    });
  });

  it('erasing the merged profile erases its forwarders too', async () => {
    const anon = uid('fwd-anon');
    const user = uid('fwd-user');
    await atTime(at(0), async () => {
      await ok(await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed')] }));
      await ok(await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', messageId: uid(), userId: user, anonymousId: anon, timestamp: at(0) }] }));
    });
    await atTime(at(400), async () => {
      await fireAlarm(`a:${anon}`);
      expect((await admin(`/v1/profiles/${anon}`, 'DELETE')).status).toBe(200);
      expect(await runInDurableObject(stubOf(`a:${anon}`), (w) => w.get())).toEqual({ profile: null });
      expect((await admin(`/v1/profiles/${user}`)).status).toBe(404);
      expect(await env.PROFILES.get(`id:demo:a:${anon}`)).toBeNull();
    });
  });
});
