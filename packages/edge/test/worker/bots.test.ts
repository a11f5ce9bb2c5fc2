// Events from known bots and headless browsers are accepted (200) but build no profile and stay out of the
// event log and its reports; they are counted apart, once per messageId, per site, day and bot family.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0007_bot_event_ids.sql?raw';
import worker from '../../src/index.js';
import { BOTS_SCHEMA, botCounts, botFamily } from '../../src/ingest/bots.js';
import { admin, d1Count, logSettled, ORIGIN, post, profileOf, track, uid } from './helpers.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const today = () => new Date().toISOString().slice(0, 10);
const botCount = async (family?: string) =>
  (await botCounts(env.EVENTS, 'demo', today(), today())).filter((r) => !family || r.family === family).reduce((n, r) => n + r.count, 0);

describe('bots at ingest', () => {
  it('accepts a Googlebot and a HeadlessChrome batch with 200, builds no profile, logs nothing, counts them apart', async () => {
    const [bot, headless, human] = [uid('bot'), uid('headless'), uid('human')];
    const before = await botCount().catch(() => 0);
    const res = await post('/v1/batch', {
      writeKey: 'demo',
      batch: [
        track(bot, 'Product Viewed', { context: { userAgent: GOOGLEBOT }, properties: { product_id: 'p1' } }),
        { type: 'page', messageId: uid(), anonymousId: bot, name: 'Home', context: { userAgent: GOOGLEBOT } },
        track(headless, 'Product Viewed', { context: { userAgent: HEADLESS }, properties: { product_id: 'p2' } }),
        track(human, 'Product Viewed', { context: { userAgent: CHROME }, properties: { product_id: 'p3' } }),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true }); // nothing rejected: they are classified, not refused
    expect((await admin(`/v1/profiles/${bot}`)).status).toBe(404);
    expect((await admin(`/v1/profiles/${headless}`)).status).toBe(404);
    expect((await profileOf(human)).counters['Product Viewed']!.count).toBe(1);
    // Reports read the event log: the bots' events are not in it, the visitor's is.
    expect(await d1Count('site = ? AND anonymous_id IN (?, ?)', 'demo', bot, headless)).toBe(0);
    expect(await d1Count('site = ? AND anonymous_id = ?', 'demo', human)).toBe(1);
    expect((await botCount()) - before).toBe(3);
  });

  it("judges a browser's request by its own User-Agent when the events carry none; a server's stays a visitor", async () => {
    const [headless, server] = [uid('headless'), uid('server')];
    const before = await botCount().catch(() => 0);
    const fromBrowser = await post('/v1/batch', { writeKey: 'demo', batch: [track(headless, 'Product Viewed')] }, { origin: ORIGIN, 'user-agent': HEADLESS });
    expect(fromBrowser.status).toBe(200);
    // No Origin: a shop's backend (curl, a Segment server library), whose User-Agent is not a visitor's.
    const fromServer = await post('/v1/batch', { writeKey: 'demo', batch: [track(server, 'Product Viewed')] }, { 'user-agent': 'curl/8.5.0' });
    expect(fromServer.status).toBe(200);
    expect((await admin(`/v1/profiles/${headless}`)).status).toBe(404);
    expect((await profileOf(server)).counters['Product Viewed']!.count).toBe(1);
    expect((await botCount()) - before).toBe(1);
  });

  it('counts a bot event once however often its batch is retried, by bot family', async () => {
    const bot = uid('bot');
    const [before, googleBefore] = [await botCount(), await botCount('Googlebot')];
    const batch = { writeKey: 'demo', batch: [track(bot, 'Product Viewed', { context: { userAgent: GOOGLEBOT } }), track(bot, 'Product Viewed', { context: { userAgent: HEADLESS } })] };
    for (let attempt = 0; attempt < 3; attempt++) expect((await post('/v1/batch', batch)).status).toBe(200);
    expect((await botCount()) - before).toBe(2);
    expect((await botCount('Googlebot')) - googleBefore).toBe(1);
  });

  it('names bot families from their User-Agent', () => {
    expect(botFamily(GOOGLEBOT)).toBe('Googlebot');
    expect(botFamily(HEADLESS)).toBe('HeadlessChrome');
    expect(botFamily('curl/8.5.0')).toBe('curl');
    expect(botFamily('python-requests/2.31')).toBe('python-requests');
    expect(botFamily('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)')).toBe('bingbot');
  });

  it('the cron trigger drops bot records past the retention and keeps the rest', async () => {
    await post('/v1/batch', { writeKey: 'demo', batch: [track(uid('bot'), 'Product Viewed', { context: { userAgent: GOOGLEBOT } })] });
    await logSettled();
    await env.EVENTS.prepare("INSERT INTO bot_event_ids (site, message_id, day, family) VALUES ('demo', ?, '2020-01-01', 'Googlebot')").bind(uid('m')).run();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: '17 3 * * *' }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect(await botCounts(env.EVENTS, 'demo', '2020-01-01', '2020-01-01')).toEqual([]);
    expect(await botCount()).toBeGreaterThan(0);
  });

  it('has the same table in the D1 migration and in the Worker', () => {
    const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
    const statements = migration.split(';').map(norm).filter((s) => s && !s.startsWith('DROP'));
    expect(statements).toEqual(BOTS_SCHEMA.map(norm));
  });
});
