// Retention: the cron purges the event log past each site's retention; a profile not seen for the
// retention period is erased by its writer's alarm.
import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import { admin, d1Count, kvProfile, logSettled, post, track, uid } from './helpers.js';

const DAY = 86_400_000;

describe('retention', () => {
  it('the cron trigger deletes logged events older than the site retention and keeps the rest', async () => {
    const anon = uid('old');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Recent', { timestamp: new Date(Date.now() - 2 * DAY).toISOString() })] });
    await logSettled();
    // An event from before the retention window (the ingest refuses such timestamps, so it is planted).
    const old = new Date(Date.now() - 400 * DAY).toISOString();
    await env.EVENTS.prepare("INSERT INTO events (site, message_id, type, name, anonymous_id, user_id, timestamp, received_at, body) VALUES ('demo', ?, 'track', 'Old', ?, NULL, ?, ?, '{}')")
      .bind(uid('m'), anon, old, old)
      .run();
    expect(await d1Count('anonymous_id = ?', anon)).toBe(2);
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: '17 3 * * *' }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect(await d1Count('anonymous_id = ? AND name = ?', anon, 'Old')).toBe(0);
    expect(await d1Count('anonymous_id = ? AND name = ?', anon, 'Recent')).toBe(1);
  });

  it('the writer erases a profile not seen for the retention period when its alarm fires', async () => {
    const anon = uid('stale');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Seen')] });
    const stub = env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName(`demo|a:${anon}`));
    // The alarm before the retention is up keeps the profile.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await admin(`/v1/profiles/${anon}`)).status).toBe(200);
    // Last seen 400 days ago (retention 395): the next alarm erases it everywhere.
    await runInDurableObject(stub, async (_, state) => {
      const row = state.storage.sql.exec<{ v: string }>("SELECT v FROM state WHERE k = 'profile'").one();
      const p = JSON.parse(row.v);
      p.lastSeen = new Date(Date.now() - 400 * DAY).toISOString();
      state.storage.sql.exec("UPDATE state SET v = ? WHERE k = 'profile'", JSON.stringify(p));
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await admin(`/v1/profiles/${anon}`)).status).toBe(404);
    expect(await kvProfile(`a:${anon}`)).toBeNull();
    expect(await d1Count('anonymous_id = ?', anon)).toBe(0);
  });
});
