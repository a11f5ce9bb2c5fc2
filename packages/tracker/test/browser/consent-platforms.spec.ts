// Consent a consent platform already collected: Google Consent Mode v2 (gtag('consent', …) in dataLayer)
// and IAB TCF v2 (__tcfapi). The tracker reads them (through its attune-cmp.js bridge) and never asks again.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { flush, sleep, useBrowser, waitFor } from './harness.js';

const h = useBrowser();
const consentOf = (page: Page) => page.evaluate(() => (window as any).attune.consent.get());
const waitConsent = (page: Page, want: { analytics: boolean; personalization: boolean }) =>
  waitFor(`consent ${JSON.stringify(want)}`, async () => {
    const c = await consentOf(page);
    return c.analytics === want.analytics && c.personalization === want.personalization;
  });

/** gtag as Google's snippet defines it: pushes its `arguments` object. */
const gtag = (defaults: Record<string, string>) => `
  window.dataLayer = window.dataLayer || [];
  function gtag(){ dataLayer.push(arguments); }
  gtag('consent', 'default', ${JSON.stringify(defaults)});
  gtag('js', new Date());`;

const ALL_DENIED = {
  analytics_storage: 'denied',
  personalization_storage: 'denied',
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
};

/** A fake CMP: answers addEventListener with the current TC data, and `__tcfEmit(data)` sends a change. */
const tcf = (initial: object) => `
  window.__tcData = ${JSON.stringify(initial)};
  const listeners = [];
  window.__tcfapi = function (command, version, callback) {
    if (command === 'addEventListener') { listeners.push(callback); setTimeout(() => callback({ ...window.__tcData, listenerId: 1 }, true)); }
    else if (command === 'ping') callback({ gdprApplies: true, cmpLoaded: true, apiVersion: '2.2' });
  };
  window.__tcfEmit = (data) => { window.__tcData = data; listeners.forEach((cb) => cb({ ...data, listenerId: 1 }, true)); };`;

describe('Google Consent Mode v2', () => {
  it("reads gtag('consent','default') and follows gtag('consent','update')", async () => {
    const page = await h.open('/', {
      page: { before: gtag({ ...ALL_DENIED, analytics_storage: 'granted' }) },
    });
    await waitConsent(page, { analytics: true, personalization: false });
    await waitFor('the page view', () => h.server.pages().length === 1);
    expect(h.server.pages()[0]!.context?.consent).toEqual({ analytics: true, personalization: false });

    await page.evaluate(() => (window as any).gtag('consent', 'update', { personalization_storage: 'granted' }));
    await waitConsent(page, { analytics: true, personalization: true });
    await page.evaluate(() => (window as any).attune.track('After Update', { n: 1 }));
    await flush(page);
    await waitFor('the event after the update', () => h.server.tracks('After Update').length === 1);
    expect(h.server.tracks('After Update')[0]!.context?.consent).toEqual({ analytics: true, personalization: true });
    await waitFor('the update reached the edge', () => h.server.consents.some((c) => c.body?.consent?.personalization === true));

    // The CMP withdraws: both denied, the outbox database goes.
    await page.evaluate(() => (window as any).gtag('consent', 'update', { analytics_storage: 'denied', personalization_storage: 'denied' }));
    await waitConsent(page, { analytics: false, personalization: false });
    await waitFor('the withdrawal reached the edge', () =>
      h.server.consents.some((c) => c.body?.consent?.analytics === false && c.body?.consent?.personalization === false),
    );
    await waitFor('the attune database deleted', async () => !(await page.evaluate(() => indexedDB.databases())).some((d) => d.name === 'attune'));
  });

  // The usual EU set-up: the CMP sets everything 'denied' by default while its banner is shown, then sends
  // an 'update' with the visitor's answer. The default is not the visitor's answer: events made meanwhile
  // must wait in memory and be replayed on the granting update.
  it("replays events made under a 'denied' default once an update grants", async () => {
    const page = await h.open('/', {
      page: { before: gtag(ALL_DENIED), after: "attune.track('Before Update', { n: 1 })" },
    });
    await page.waitForFunction(() => document.querySelector('script[src$="attune-cmp.js"]'));
    await sleep(300);
    expect(h.server.stats().rawRequests, 'nothing sent under the denied default').toBe(0);
    await page.evaluate(() => (window as any).gtag('consent', 'update', { analytics_storage: 'granted' }));
    await waitConsent(page, { analytics: true, personalization: false });
    await flush(page);
    await waitFor('the page view', () => h.server.pages().length === 1, 2000).catch(() => {});
    expect(h.server.tracks('Before Update').map((e) => e.properties?.n), 'the event made before the update').toEqual([1]);
    expect(h.server.pages().length, 'the automatic page view made before the update').toBe(1);
  });
});

describe('IAB TCF v2', () => {
  it('grants both purposes on useractioncomplete with purposes 1, 5, 6 and 8, replaying what waited', async () => {
    const page = await h.open('/', {
      page: { before: tcf({ gdprApplies: true, eventStatus: 'cmpuishown', purpose: { consents: {} } }) },
    });
    await page.evaluate(() => (window as any).attune.track('Before Banner', { n: 1 }));
    await page.waitForFunction(() => document.querySelector('script[src$="attune-cmp.js"]'));
    await sleep(300);
    expect(await consentOf(page), 'the banner is still shown').toMatchObject({ analytics: false, personalization: false });
    expect(h.server.stats().rawRequests).toBe(0);

    await page.evaluate(() =>
      (window as any).__tcfEmit({
        gdprApplies: true,
        eventStatus: 'useractioncomplete',
        purpose: { consents: { 1: true, 5: true, 6: true, 8: true } },
      }),
    );
    await waitConsent(page, { analytics: true, personalization: true });
    await flush(page);
    await waitFor('the event made before the answer', () => h.server.tracks('Before Banner').length === 1);
    expect(h.server.tracks('Before Banner')[0]!.context?.consent).toEqual({ analytics: true, personalization: true });
    await waitFor('the grant reached the edge', () => h.server.consents.some((c) => c.body?.consent?.personalization === true));
  });

  it('purposes 1 and 8 only grant analytics, not personalization', async () => {
    const page = await h.open('/', {
      page: {
        before: tcf({ gdprApplies: true, eventStatus: 'tcloaded', purpose: { consents: { 1: true, 8: true } } }),
      },
    });
    await waitConsent(page, { analytics: true, personalization: false });
    await waitFor('the page view', () => h.server.pages().length === 1);
    expect(h.server.pages()[0]!.context?.consent).toEqual({ analytics: true, personalization: false });
  });

  it('gdprApplies false leaves the owner default alone', async () => {
    const page = await h.open('/', {
      page: { before: tcf({ gdprApplies: false, eventStatus: 'tcloaded', purpose: { consents: {} } }) },
    });
    await page.waitForFunction(() => document.querySelector('script[src$="attune-cmp.js"]'));
    await sleep(500);
    expect(await consentOf(page)).toMatchObject({ analytics: false, personalization: false, decided: false });
    expect(h.server.stats().rawRequests).toBe(0);
  });
});
