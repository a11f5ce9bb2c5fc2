// The guarantees of ingest a user would check: nothing lost under concurrency, nothing counted twice on
// replay, every valid event kept when others in the batch are not, and the answers Segment clients expect.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { d1Count, kvProfile, post, profileOf, track, uid } from './helpers.js';

describe('one writer per profile', () => {
  it('keeps exact counters under 50 concurrent batches to one profile and a replay of every batch', async () => {
    const anon = uid('hot');
    const batches = Array.from({ length: 50 }, (_, b) => ({
      writeKey: 'demo',
      sentAt: new Date().toISOString(),
      batch: Array.from({ length: 10 }, (_, i) =>
        track(anon, 'Product Viewed', { properties: { product_id: `p${b}-${i}`, category: i % 2 ? 'Shoes' : 'Bags' } }),
      ),
    }));
    const first = await Promise.all(batches.map((b) => post('/v1/batch', b)));
    expect(first.map((r) => r.status)).toEqual(batches.map(() => 200));
    // Every batch again, concurrently, as a client retrying after lost answers would.
    const replay = await Promise.all(batches.map((b) => post('/v1/batch', b)));
    expect(replay.map((r) => r.status)).toEqual(batches.map(() => 200));

    const p = await profileOf(anon);
    expect(p.counters['Product Viewed']!.count).toBe(500);
    expect(Object.values(p.counters['Product Viewed']!.daily).reduce((a, b) => a + b, 0)).toBe(500);
    expect(p.recent).toHaveLength(20);
    expect((await kvProfile(p.id))!.counters['Product Viewed']!.count).toBe(500);
    expect(await d1Count('site = ? AND anonymous_id = ?', 'demo', anon)).toBe(500);
  });

  it('keeps the valid events of a batch and names each invalid one', async () => {
    const anon = uid('mixed');
    const good = track(anon, 'Good');
    const res = await post('/v1/batch', {
      writeKey: 'demo',
      batch: [good, { type: 'track', messageId: 'bad-1', anonymousId: anon }, 42, track(anon, 'Late', { timestamp: '2999-01-01T00:00:00Z' })],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { success: boolean; rejected: { index: number; messageId?: string; path: string; message: string }[] };
    expect(body.success).toBe(true);
    expect(body.rejected.map((r) => [r.index, r.path])).toEqual([
      [1, 'batch[1].event'],
      [2, 'batch[2]'],
      [3, 'batch[3].timestamp'],
    ]);
    expect(body.rejected[0]!.messageId).toBe('bad-1');
    expect(body.rejected[2]!.message).toMatch(/future/);
    expect((await profileOf(anon)).counters).toHaveProperty('Good.count', 1);
  });

  it('corrects client clock skew with sentAt, as Segment does', async () => {
    const anon = uid('skew');
    // The client's clock is 2 hours ahead: it stamped the event 5 s before it sent it.
    const ahead = Date.now() + 2 * 3600_000;
    await post('/v1/batch', {
      writeKey: 'demo',
      sentAt: new Date(ahead).toISOString(),
      batch: [track(anon, 'Skewed', { timestamp: new Date(ahead - 5000).toISOString() })],
    });
    const at = Date.parse((await profileOf(anon)).counters.Skewed!.firstAt);
    expect(Math.abs(at - (Date.now() - 5000))).toBeLessThan(10_000);
  });

  it('answers the single-event routes with type implied and Basic-auth write key', async () => {
    const anon = uid('single');
    const auth = { authorization: `Basic ${btoa('demo:')}`, 'content-type': 'application/json' };
    for (const [path, body] of [
      ['/v1/track', { event: 'Signed Up', anonymousId: anon, messageId: uid() }],
      ['/v1/page', { name: 'Home', anonymousId: anon, messageId: uid() }],
      ['/v1/screen', { name: 'Home', anonymousId: anon, messageId: uid() }],
      ['/v1/group', { groupId: 'g1', traits: { plan: 'team' }, anonymousId: anon, messageId: uid() }],
      ['/v1/identify', { traits: { email: ' Ada@Example.COM ' }, anonymousId: anon, messageId: uid() }],
    ] as const) {
      const res = await post(path, body, auth);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toEqual({ success: true });
    }
    const p = await profileOf(anon);
    expect(p.counters['Signed Up']!.count).toBe(1);
    expect(p.counters['Page Viewed']!.count).toBe(1);
    expect(p.counters['Screen Viewed']!.count).toBe(1);
    expect(p.groups.g1).toEqual({ plan: 'team' });
    expect(p.traits.email).toBe('ada@example.com');
  });

  it('keeps the count of events the browser had to drop', async () => {
    const anon = uid('drop');
    await post('/v1/batch', { writeKey: 'demo', dropped: 3, batch: [track(anon, 'x')] });
    await post('/v1/batch', { writeKey: 'demo', dropped: 5, batch: [track(anon, 'x')] });
    expect((await profileOf(anon)).quality.droppedByClient).toBe(5);
  });

  it('derives a stable messageId for events sent without one, so a retry is not counted twice', async () => {
    const anon = uid('nomid');
    const e = { type: 'track', event: 'Curl', anonymousId: anon, timestamp: new Date().toISOString() };
    await post('/v1/batch', { writeKey: 'demo', batch: [e] });
    await post('/v1/batch', { writeKey: 'demo', batch: [e] });
    expect((await profileOf(anon)).counters.Curl!.count).toBe(1);
  });

  it('accepts gzip bodies', async () => {
    const anon = uid('gz');
    const json = JSON.stringify({ writeKey: 'demo', batch: [track(anon, 'Zipped')] });
    const gz = await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    const res = await post('/v1/batch', new Uint8Array(gz), { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect((await profileOf(anon)).counters.Zipped!.count).toBe(1);
  });

  it('refuses events when the sender says no purpose is granted', async () => {
    const anon = uid('noconsent');
    const res = await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'x', { context: { consent: { analytics: false, personalization: false } } })] });
    const body = (await res.json()) as { rejected: { path: string }[] };
    expect(body.rejected[0]!.path).toBe('batch[0].context.consent');
    expect(await env.PROFILES.get(`p:demo:a:${anon}`)).toBeNull();
  });

  it('refuses segment changes sent by a client: only the edge writes them, so reports cannot be forged', async () => {
    const anon = uid('forge');
    const res = await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Page Seen'), track(anon, 'Segment Entered', { properties: { segment_id: 'returning-buyer' } })] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rejected: { index: number; path: string; message: string }[] };
    expect(body.rejected.map((r) => [r.index, r.path])).toEqual([[1, 'batch[1].event']]);
    expect(body.rejected[0]!.message).toMatch(/written by the edge/);
    expect(await d1Count(`site = 'demo' AND anonymous_id = ?1 AND name = 'Segment Entered' AND json_extract(body, '$.properties.segment_id') = 'returning-buyer'`, anon)).toBe(0);
  });
});
