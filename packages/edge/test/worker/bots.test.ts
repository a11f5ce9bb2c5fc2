// Events from known bots and headless browsers are accepted (200) but build no profile and stay out of the
// event log and its reports; they are counted per site and day in bot_events.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0004_bots.sql?raw';
import { BOTS_SCHEMA } from '../../src/ingest/bots.js';
import { admin, d1Count, ORIGIN, post, profileOf, track, uid } from './helpers.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const today = () => new Date().toISOString().slice(0, 10);
const botCount = async () => (await env.EVENTS.prepare('SELECT coalesce(sum(count), 0) AS n FROM bot_events WHERE site = ? AND day = ?').bind('demo', today()).first<{ n: number }>())?.n ?? 0;

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

  it('has the same table in the D1 migration and in the Worker', () => {
    const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
    expect(norm(migration)).toBe(norm(BOTS_SCHEMA));
  });
});
