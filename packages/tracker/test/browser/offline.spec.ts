// Offline → online: events made while the network is down are kept and delivered once it is back,
// each exactly once.
import { describe, expect, it } from 'vitest';
import { expectEachOnce, flush, report, sleep, trackMany, useBrowser, waitDelivered, waitFor } from './harness.js';

const h = useBrowser();
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('offline → online', () => {
  it('delivers every event made offline exactly once when the network is back', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await waitFor('the page view', () => h.server.pages().length === 1);

    await h.context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await trackMany(page, 'Offline', 1, 10);
    await flush(page); // fails: no network
    await sleep(800);
    await trackMany(page, 'Offline', 11, 10);
    await flush(page);
    await sleep(1700); // a few failed attempts, the backoff grows
    expect(h.server.tracks('Offline'), 'nothing reached the server while offline').toEqual([]);

    const back = Date.now();
    await h.context.setOffline(false);
    await waitDelivered(h.server, 'Offline', 20);
    const latency = Date.now() - back;
    await sleep(1100); // room for a late duplicate
    expectEachOnce(h.server, 'Offline', range(1, 20));
    const s = h.server.stats();
    expect(s.duplicates, 'no event sent twice').toBe(0);
    expect(s.rawEvents).toBe(s.unique);
    // The 'online' event resumes at once instead of waiting out the backoff.
    expect(latency, 'ms from online to delivered').toBeLessThan(1500);
    report('offline→online', s, `(20 events made offline, delivered ${latency} ms after going online)`);
  });
});
