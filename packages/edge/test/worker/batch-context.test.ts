// A batch's `context` is merged under each event's own. It is checked like an event's own: nesting, string
// lengths and the 32 KB an event may take are judged on what would be stored, not on what was sent.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/contract/index.js';
import { CLEAN_LIMITS } from '../../src/ingest/clean.js';
import { d1Count, post, profileOf, track, uid } from './helpers.js';

type Answer = { success: boolean; error?: string; rejected?: { index: number; path: string; message: string }[] };

/** `{a: {a: … {leaf: 1}}}`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

describe("a batch's context", () => {
  it('nested past the depth limit refuses the batch with a 400 naming the path, and stores nothing', async () => {
    const anon = uid('deepctx');
    const batch = Array.from({ length: 50 }, () => track(anon, 'Deep'));
    const res = await post('/v1/batch', { writeKey: 'demo', context: { deep: nested(15) }, batch });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Answer;
    expect(body.error).toMatch(/^context\.deep(\.a)+: nested deeper than 8 levels/);
    expect(await env.PROFILES.get(`p:demo:a:${anon}`)).toBeNull();
  });

  it('that makes an event pass 32 KB refuses that event, saying the batch context did it', async () => {
    const anon = uid('bigctx');
    // Seven strings just under the string limit: ~28 KB of context, sent once for 50 small events.
    const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'x'.repeat(CLEAN_LIMITS.stringChars - 10)]));
    const batch = Array.from({ length: 50 }, () => track(anon, 'Big'));
    const sent = JSON.stringify({ writeKey: 'demo', context: big, batch });
    expect(new TextEncoder().encode(sent).length).toBeLessThan(LIMITS.batchBytes);
    const res = await post('/v1/batch', sent);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Answer;
    expect(body.rejected).toHaveLength(50);
    expect(body.rejected![0]).toMatchObject({ index: 0, path: 'batch[0]' });
    expect(body.rejected![0]!.message).toMatch(/bytes with the batch's context, over the limit of 32768 bytes an event/);
    expect(await env.PROFILES.get(`p:demo:a:${anon}`)).toBeNull();
  });

  it("has its long strings truncated and flagged in every event, as an event's own are", async () => {
    const anon = uid('longctx');
    const res = await post('/v1/batch', { writeKey: 'demo', context: { note: 'y'.repeat(CLEAN_LIMITS.stringChars + 500) }, batch: [track(anon, 'Long')] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Answer).rejected).toBeUndefined();
    const row = await d1Count(`site = 'demo' AND anonymous_id = ?1 AND length(json_extract(body, '$.context.note')) = ?2`, anon, CLEAN_LIMITS.stringChars);
    expect(row).toBe(1);
    const p = await profileOf(anon);
    expect(JSON.stringify(p.quality)).toMatch(/context\.note/);
  });

  it("stays under the event's own context, which wins key by key", async () => {
    const anon = uid('ctxwins');
    const res = await post('/v1/batch', {
      writeKey: 'demo',
      context: { locale: 'de-DE', library: { name: 'batch-lib', version: '1' } },
      batch: [track(anon, 'Own', { context: { locale: 'fr-FR' } })],
    });
    expect(res.status).toBe(200);
    expect(await d1Count(`site = 'demo' AND anonymous_id = ?1 AND json_extract(body, '$.context.locale') = 'fr-FR' AND json_extract(body, '$.context.library.name') = 'batch-lib'`, anon)).toBe(1);
  });
});
