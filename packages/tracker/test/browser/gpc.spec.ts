// Global Privacy Control: a browser that sends GPC denies personalization by default, even where the
// owner grants by default; only the visitor's own explicit grant turns it on.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { flush, useBrowser, waitFor } from './harness.js';

const h = useBrowser();
const GPC = `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });`;
const consentOf = (page: Page) => page.evaluate(() => (window as any).attune.consent.get());

describe('Global Privacy Control', () => {
  it('control: without GPC a granted default grants personalization', async () => {
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    expect(await page.evaluate(() => (navigator as any).globalPrivacyControl)).not.toBe(true);
    expect(await consentOf(page)).toMatchObject({ analytics: true, personalization: true });
    await waitFor('the page view', () => h.server.pages().length === 1);
    expect(h.server.pages()[0]!.context?.consent).toEqual({ analytics: true, personalization: true });
  });

  it('denies personalization by default, even with data-consent-default="granted"', async () => {
    await h.context.addInitScript(GPC);
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    expect(await page.evaluate(() => (navigator as any).globalPrivacyControl)).toBe(true);
    expect(await consentOf(page)).toMatchObject({ analytics: true, personalization: false });
    await waitFor('the page view', () => h.server.pages().length === 1);
    expect(h.server.pages()[0]!.context?.consent, 'the consent the event carries').toEqual({ analytics: true, personalization: false });
    await waitFor('the default reached the edge', () => h.server.consents.length >= 1);
    expect(h.server.consents.at(-1)!.body.consent).toEqual({ analytics: true, personalization: false });
  });

  it("the visitor's explicit grant turns personalization on, and it holds on the next page", async () => {
    await h.context.addInitScript(GPC);
    const page = await h.open('/', { page: { attrs: { 'consent-default': 'granted' } } });
    await page.evaluate(() => (window as any).attune.consent.set({ personalization: true }));
    expect(await consentOf(page)).toMatchObject({ analytics: true, personalization: true });
    await page.evaluate(() => (window as any).attune.track('After Grant', { n: 1 }));
    await flush(page);
    await waitFor('the event after the grant', () => h.server.tracks('After Grant').length === 1);
    expect(h.server.tracks('After Grant')[0]!.context?.consent).toEqual({ analytics: true, personalization: true });
    await waitFor('the grant reached the edge', () =>
      h.server.consents.some((c) => c.body?.consent?.personalization === true && c.body?.consent?.analytics === true),
    );
    await page.reload();
    await page.waitForFunction(() => !Array.isArray((window as any).attune));
    expect(await consentOf(page), 'the explicit grant beats GPC on the next page').toMatchObject({
      analytics: true,
      personalization: true,
    });
  });
});
