// The dashboard in Chromium against `wrangler dev`: a marketer signs in with the admin token and reads the
// KPIs of events they can count by hand, and sees charts drawn. A wrong token shows the API's own words.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useStack } from './chromium.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root } from '../../scripts/dev-server.mjs';

const stack = useStack('admin/index.html');

const track = (anonymousId: string, event: string, properties: Record<string, unknown> = {}) => ({
  type: 'track',
  event,
  anonymousId,
  messageId: `${anonymousId}-${event}-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date().toISOString(),
  properties,
});

describe('dashboard at /admin', () => {
  it('signs in, shows the KPIs of the posted events and draws the charts', async () => {
    // Three visitors today, two of whom buy for 40 and 60.
    const run = Date.now().toString(36);
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `dash-${run}-${x}`);
    const batch = [
      track(a!, 'Product Viewed', { product_id: 'p1' }),
      track(a!, 'Order Completed', { order_id: `${run}-1`, revenue: 40, products: [{ product_id: 'p1' }] }),
      track(b!, 'Order Completed', { order_id: `${run}-2`, revenue: 60, products: [{ product_id: 'p2' }] }),
      track(c!, 'Product Viewed', { product_id: 'p3' }),
    ];
    const res = await fetch(`${stack.dev.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch }) });
    expect(res.status).toBe(200);

    const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${stack.dev.url}/admin/`);

    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button:has-text("Sign in")');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('wrong admin token');

    await page.fill('input[name=token]', 'dev-admin');
    await page.click('button:has-text("Sign in")');
    const kpi = (name: string) => page.textContent(`[data-kpi=${name}] .kpi-value`);
    await expect.poll(() => kpi('visitors'), { timeout: 15_000 }).toBe('3');
    expect(await kpi('orders')).toBe('2');
    expect(await kpi('revenue')).toBe('100.00');
    expect(await kpi('aov')).toBe('50.00');
    expect(await kpi('conversion_rate')).toBe('66.7%');
    // uPlot draws on canvas: both overview charts are there, with their legends.
    await expect.poll(() => page.locator('#overview .chart canvas').count()).toBe(2);
    expect(await page.textContent('#overview .chart')).toContain('Visitors');
    // The other panels answered rather than erroring.
    await expect.poll(() => page.locator('#funnel li').count()).toBe(5);
    expect(await page.locator('.panel .error').count()).toBe(0);
    // The token stays in the tab's sessionStorage, never in the page.
    expect(await page.content()).not.toContain('dev-admin');

    mkdirSync(`${root}test-artifacts`, { recursive: true });
    await page.screenshot({ path: `${root}test-artifacts/dashboard.png` });
    await ctx.close();
  });
});
