// The inline stub: calls made before the async script has loaded are queued and replayed in order.
import { describe, expect, it } from 'vitest';
import { useBrowser, waitFor } from './harness.js';

const h = useBrowser();

const QUEUED = `
  window.__stubWasArray = Array.isArray(attune);
  attune.track('First', { n: 1 });
  attune.identify('user-42', { plan: 'pro' });
  attune.track('Second', { n: 2 });
  attune.page('Landing', { n: 3 });
  attune.answer('style', 'minimal', { quiz: 'onboarding' });
  attune.ready(function (a) { window.__readyWith = a === window.attune && !Array.isArray(a); });`;

describe('snippet queue', () => {
  it('replays the calls made before the script loaded, in order', async () => {
    h.server.scriptDelayMs = 700;
    h.server.page = { attrs: { 'consent-default': 'granted' }, after: QUEUED };
    const page = await h.context.newPage();
    h.pages.push(page);
    await page.goto(h.server.url + '/', { waitUntil: 'domcontentloaded' });
    // The script is still on its way: the calls wait in the stub's queue.
    expect(await page.evaluate(() => (window as any).__stubWasArray)).toBe(true);
    expect(await page.evaluate(() => Array.isArray((window as any).attune) && (window as any).attune.length)).toBe(6);

    await page.waitForFunction(() => !Array.isArray((window as any).attune), null, { timeout: 5000 });
    await waitFor('6 events', () => h.server.events().length >= 6);
    const got = h.server.events().map((e) => `${e.type}:${e.event ?? e.name ?? ''}`);
    expect(got).toEqual([
      'track:First',
      'identify:',
      'track:Second',
      'page:Landing',
      'track:Question Answered',
      'page:', // the automatic page view comes after the queued calls
    ]);
    const [first, identify, second, landing, answer] = h.server.events();
    expect(first!.userId ?? null, 'identify came after First').toBeNull();
    expect(identify!.userId).toBe('user-42');
    expect(identify!.traits).toEqual({ plan: 'pro' });
    expect(second!.userId).toBe('user-42');
    expect(landing!.properties).toMatchObject({ n: 3 });
    expect(answer!.properties).toMatchObject({ quiz: 'onboarding', question: 'style', answer: 'minimal' });
    expect(h.server.stats().rawEvents, 'each queued call replayed once').toBe(6);
    expect(await page.evaluate(() => (window as any).__readyWith)).toBe(true);
  });

  it('replays a queued consent grant, so the calls queued before it are delivered', async () => {
    h.server.scriptDelayMs = 300;
    h.server.page = { after: "attune.track('Queued', { n: 1 }); attune.consent.set({ analytics: true });" };
    const page = await h.open();
    await waitFor('the queued event', () => h.server.tracks('Queued').length === 1);
    expect(await page.evaluate(() => (window as any).attune.consent.get())).toMatchObject({ analytics: true, decided: true });
  });

  it('adds no global but window.attune', async () => {
    // Same page without the script, then with it: compare the window's own properties.
    const bare = await h.open('/', { page: { script: false }, waitForTracker: false });
    const before: string[] = await bare.evaluate(() => Object.getOwnPropertyNames(window));
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);
    const after: string[] = await page.evaluate(() => Object.getOwnPropertyNames(window));
    expect(after.filter((k) => !before.includes(k))).toEqual([]);
    expect(after).toContain('attune');
  });
});
