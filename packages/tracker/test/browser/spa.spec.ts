// Single-page apps: pushState, replaceState and popstate each make a page view with the new path and the
// previous URL as referrer; hash-only changes do not; data-auto-page="false" turns automatic page views off.
import { describe, expect, it } from 'vitest';
import { flush, sleep, useBrowser, waitFor } from './harness.js';

const h = useBrowser();

describe('SPA page views', () => {
  it('pushState, replaceState and popstate produce page views with the right path and referrer', async () => {
    const page = await h.open('/app', { page: { attrs: { 'consent-default': 'granted' } } });
    const origin = h.server.url;
    await waitFor('the first page view', () => h.server.pages().length === 1);

    await page.evaluate(() => {
      history.pushState({}, '', '/app/products?sort=price&utm_campaign=spring');
      document.title = 'Products'; // routers set the title after pushState
    });
    await waitFor('the pushState page view', () => h.server.pages().length === 2);
    await page.evaluate(() => history.replaceState({}, '', '/app/products/42'));
    await waitFor('the replaceState page view', () => h.server.pages().length === 3);
    // Not navigations: a hash change and a push of the same URL.
    await page.evaluate(() => {
      history.pushState({}, '', '/app/products/42#reviews');
      history.pushState({}, '', '/app/products/42');
    });
    await page.evaluate(() => history.back()); // popstate, to /app/products/42#reviews: same page
    await sleep(100);
    await page.evaluate(() => history.go(-2)); // popstate, back to /app
    await waitFor('the popstate page view', () => h.server.pages().length === 4);
    await page.evaluate(() => (window as any).attune.track('Marker'));
    await flush(page);
    await waitFor('the marker', () => h.server.tracks('Marker').length === 1);
    await sleep(300);

    const pages = h.server.pages().map((e) => ({
      path: e.context?.page?.path,
      search: e.context?.page?.search,
      referrer: e.context?.page?.referrer,
      title: e.context?.page?.title,
      url: e.context?.page?.url,
    }));
    expect(pages).toEqual([
      { path: '/app', search: '', referrer: '', title: 'Attune test', url: `${origin}/app` },
      {
        path: '/app/products',
        search: '?sort=price&utm_campaign=spring',
        referrer: `${origin}/app`,
        title: 'Products',
        url: `${origin}/app/products?sort=price&utm_campaign=spring`,
      },
      { path: '/app/products/42', search: '', referrer: `${origin}/app/products?sort=price&utm_campaign=spring`, title: 'Products', url: `${origin}/app/products/42` },
      { path: '/app', search: '', referrer: `${origin}/app/products/42`, title: 'Products', url: `${origin}/app` },
    ]);
    expect(h.server.pages()[1]!.context?.campaign).toEqual({ name: 'spring' });
    expect(h.server.stats().rawEvents, 'no other page views').toBe(5);
  });

  it('data-auto-page="false" turns automatic page views off; attune.page() still works', async () => {
    const page = await h.open('/app', { page: { attrs: { 'consent-default': 'granted', 'auto-page': 'false' } } });
    await page.evaluate(() => {
      history.pushState({}, '', '/app/a');
      history.replaceState({}, '', '/app/b');
      history.back();
    });
    await sleep(200);
    await page.evaluate(() => (window as any).attune.page('Manual'));
    await flush(page);
    await waitFor('the manual page view', () => h.server.pages().length === 1);
    await sleep(1100);
    expect(h.server.pages().map((e) => e.name)).toEqual(['Manual']);
  });
});
