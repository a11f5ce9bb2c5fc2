// The dashboard in Chromium against `wrangler dev`: a marketer signs in with the admin token and reads the
// KPIs of events they can count by hand, and sees charts drawn. A wrong token shows the API's own words.
// Every page runs under the dashboard's strict CSP and must report no violation; the session lives in an
// HttpOnly cookie, never the token in page storage.
// The trigger log is seeded into the local D1 before the Worker starts (a real delivery waits 30 minutes).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewReport, QualityReport } from '../../src/contract/reports.js';
import { launchChromium, requireChromium } from './chromium.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { root, startDev } from '../../scripts/dev-server.mjs';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
/** Three deliveries: one retrying after a 503, one delivered on its second attempt, one failed for good. */
const ATTEMPTS = [
  ['k-retry', 1, 'cart-reminder', 'cart-abandoned', 'prof-retry', 'retrying', 503, 'HTTP 503', minutesAgo(0.5)],
  ['k-ok', 1, 'cart-reminder', 'cart-abandoned', 'prof-ok', 'retrying', null, 'timed out after 5000 ms', minutesAgo(10)],
  ['k-ok', 2, 'cart-reminder', 'cart-abandoned', 'prof-ok', 'delivered', 200, null, minutesAgo(9)],
  ['k-failed', 5, 'refill-reminder', 'repurchase-due', 'prof-failed', 'failed', 410, 'HTTP 410', minutesAgo(20)],
] as const;

function seedTriggerLog(state: string) {
  const q = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  const rows = ATTEMPTS.map(([key, attempt, trigger, kind, profile, outcome, status, error, at]) =>
    `INSERT INTO trigger_log VALUES ('demo', ${[key, attempt, trigger, kind, profile, 'http://localhost:8788/hooks/attune', outcome, status, error, 120, at].map(q).join(', ')});`,
  );
  const file = join(state, 'seed-triggers.sql');
  writeFileSync(file, [readFileSync(join(root, 'packages/edge/migrations/0005_triggers.sql'), 'utf8'), ...rows].join('\n'));
  execFileSync('npx', ['wrangler', 'd1', 'execute', 'attune-events', '--local', '--persist-to', state, '--config', join(root, 'wrangler.toml'), '--file', file, '--yes'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
  });
}

const stack = {} as { dev: { url: string; stop: () => Promise<void> }; browser: Browser; state: string };
beforeAll(async () => {
  requireChromium();
  if (!existsSync(`${root}dist/site/admin/index.html`)) throw new Error('dist/site/admin/index.html is missing: run npm run build');
  stack.state = mkdtempSync(join(tmpdir(), 'attune-dashboard-'));
  seedTriggerLog(stack.state);
  stack.dev = await startDev({ persistTo: stack.state });
  stack.browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await stack.browser?.close();
  await stack.dev?.stop();
  if (stack.state) rmSync(stack.state, { recursive: true, force: true });
});

const api = async (path: string) => {
  const res = await fetch(`${stack.dev.url}/v1/reports/${path}`, { headers: { authorization: 'Bearer dev-admin' } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
};

/**
 * CSP violations the page reports, both ways a browser tells: the `securitypolicyviolation` event and the
 * console's "Refused to …" messages. Installed before the page's own scripts run.
 */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const consoled: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoled.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...consoled, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

const cspViolations = new WeakMap<Page, () => Promise<string[]>>();

async function signedIn(): Promise<Page> {
  const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  cspViolations.set(page, await watchCsp(page));
  await page.goto(`${stack.dev.url}/admin/`);
  await page.fill('input[name=token]', 'dev-admin');
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector('#overview .kpi-value', { timeout: 15_000 });
  return page;
}

/** A report's answer, as the dashboard's default period (7 days) asks for it, picked by `pick`. */
async function reported<R>(name: string, pick: (r: R) => unknown): Promise<unknown> {
  const res = await fetch(`${stack.dev.url}/v1/reports/${name}?period=7d`, { headers: { authorization: 'Bearer dev-admin' } });
  return res.ok ? pick((await res.json()) as R) : `HTTP ${res.status}`;
}

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
    // The reports read what the log Queue's consumer wrote after the answer; the panels show what they held at load.
    await expect.poll(() => reported<OverviewReport>('overview', (r) => `${r.counts.visitors} visitors, ${r.counts.orders} orders`), { timeout: 45_000, interval: 500 }).toBe('3 visitors, 2 orders');

    const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
    const page = await ctx.newPage();
    const violations = await watchCsp(page);
    const shell = await page.goto(`${stack.dev.url}/admin/`);
    expect(shell!.headers()['content-security-policy']).toContain("script-src 'self'");

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
    // The token is nowhere in the page.
    expect(await page.content()).not.toContain('dev-admin');
    // Everything drew under the CSP (uPlot, Preact's styles, the bundle): nothing was refused.
    expect(await violations()).toEqual([]);
    // Control: the policy is enforced and the watch sees it — an injected inline script is refused, unrun.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.__inlineRan = true' })));
    await expect.poll(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src(-elem)? inline$/), expect.stringMatching(/Content Security Policy/)]));
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();

    mkdirSync(`${root}test-artifacts`, { recursive: true });
    await page.screenshot({ path: `${root}test-artifacts/dashboard.png` });
    await ctx.close();
  });

  it('keeps the session in an HttpOnly cookie, never the token in page storage, across reloads until sign-out', async () => {
    const page = await signedIn();
    const stored = () => page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    const seen = await stored();
    expect(seen.local).toEqual({});
    expect(seen.session).toEqual({});
    expect(JSON.stringify(seen)).not.toContain('dev-admin');
    // The browser holds the session, but no script on the page can read it.
    expect(seen.cookie).not.toContain('attune_admin');
    const [session] = (await page.context().cookies()).filter((c) => c.name === 'attune_admin');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1' });
    expect(session!.value).not.toContain('dev-admin');
    // A reload stays signed in (the page asks the API), without the token being typed again.
    await page.reload();
    await page.waitForSelector('#overview .kpi-value', { timeout: 15_000 });
    expect(await page.locator('input[name=token]').count()).toBe(0);
    // Sign-out ends it: the cookie is gone and a reload shows the sign-in.
    await page.click('button:has-text("Sign out")');
    await page.waitForSelector('input[name=token]');
    expect((await page.context().cookies()).filter((c) => c.name === 'attune_admin')).toEqual([]);
    await page.reload();
    await page.waitForSelector('input[name=token]');
    // The old value is refused even if replayed (it is deny-listed, not only forgotten by the browser).
    const replay = await fetch(`${stack.dev.url}/v1/reports/overview?period=7d`, { headers: { cookie: `attune_admin=${session!.value}` } });
    expect(replay.status).toBe(401);
    expect(await cspViolations.get(page)!()).toEqual([]);
    await page.context().close();
  });

  it('shows the bot events ingest kept out, in the data-quality panel', async () => {
    const bot = { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    const headless = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36' };
    const batch = [1, 2, 3].map((i) => ({ ...track(`crawler-${i}`, 'Product Viewed', { product_id: 'p1' }), context: i === 3 ? headless : bot }));
    expect((await fetch(`${stack.dev.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch }) })).status).toBe(200);
    // Bot sightings reach the reports through the log Queue's consumer, after the answer: the panel shows what the
    // report held when the page loaded, so the page opens once the report counts them (a busy machine took >15 s).
    await expect.poll(() => reported<QualityReport>('quality', (r) => r.bots.events), { timeout: 45_000, interval: 500 }).toBe(3);
    const page = await signedIn();
    expect(await page.getAttribute('#quality [data-bots-total]', 'data-bots-total')).toBe('3');
    const today = new Date().toISOString().slice(0, 10);
    expect(await page.textContent('#quality table.bots tbody tr')).toBe(`${today}3`);
    // …and by bot, most first, named from the User-Agent.
    expect(await page.locator('#quality table.bot-families tbody tr').allTextContents()).toEqual(['Googlebot2', 'HeadlessChrome1']);
    expect(await cspViolations.get(page)!()).toEqual([]);
    await page.context().close();
  });

  it('lists the trigger deliveries with status, attempts, the last error and the next retry', async () => {
    const page = await signedIn();
    const row = (key: string) => page.locator(`#triggers tr[data-delivery=${key}] td`).allTextContents();
    await expect.poll(() => page.locator('#triggers tbody tr').count(), { timeout: 15_000 }).toBe(3);
    // Newest first: the retrying one (30 s ago), then the delivered, then the failed.
    expect(await page.locator('#triggers tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-delivery')))).toEqual(['k-retry', 'k-ok', 'k-failed']);
    const [trigger, profile, status, attempts, answer, , next] = await row('k-retry');
    expect([trigger, profile, status, attempts, answer]).toEqual(['cart-reminder (cart-abandoned)', 'prof-retry', 'retrying', '1', 'HTTP 503']);
    expect(next).not.toBe('–'); // due a minute after the first attempt
    expect((await row('k-ok')).slice(2, 5)).toEqual(['delivered', '2', 'HTTP 200']);
    expect((await row('k-failed')).slice(2, 7)).toEqual(['failed', '5', 'HTTP 410', expect.any(String), '–']);
    // Filtering by status asks the API again.
    await page.selectOption('#triggers select[name=outcome]', 'failed');
    await expect.poll(() => page.locator('#triggers tbody tr').count()).toBe(1);
    expect(await cspViolations.get(page)!()).toEqual([]);
    await page.context().close();
  });

  it('suggests segments from the profiles\' behaviour, with sizes, flags and a rule to copy', async () => {
    // 60 shoppers in three kinds: browsers, one-time buyers, frequent big spenders.
    const run = Date.now().toString(36);
    const batch = [...Array(60).keys()].flatMap((i) => {
      const who = `disc-${run}-${i}`;
      const kind = i % 3;
      const views = [...Array(kind === 0 ? 8 : 2).keys()].map((j) => track(who, 'Product Viewed', { product_id: `p${j}` }));
      const orders = [...Array(kind === 0 ? 0 : kind === 1 ? 1 : 6).keys()].map((j) => track(who, 'Order Completed', { order_id: `${who}-${j}`, revenue: kind === 2 ? 200 : 30, products: [{ product_id: 'p1' }] }));
      return [...views, ...orders];
    });
    for (let i = 0; i < batch.length; i += 100) expect((await fetch(`${stack.dev.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', batch: batch.slice(i, i + 100) }) })).status).toBe(200);
    // The log Queue's consumer writes the log the report reads a moment after the 200s: wait until the report
    // holds the big spenders and stays the same for a second, so the page shows what this test reads.
    let report: Record<string, any> = {};
    await expect
      .poll(
        async () => {
          const before = JSON.stringify(await api('segments/discover'));
          await new Promise((r) => setTimeout(r, 1_000));
          report = await api('segments/discover');
          return JSON.stringify(report) === before && JSON.stringify(report).includes('repeat buyers, high spenders');
        },
        { timeout: 45_000 },
      )
      .toBe(true);
    expect(report.segments.length).toBeGreaterThan(1);
    const page = await signedIn();
    await expect.poll(() => page.locator('#discovery tbody tr').count(), { timeout: 20_000 }).toBe(report.segments.length);
    for (const s of report.segments) {
      const cells = await page.locator(`#discovery tr[data-segment=${s.id}] td`).allTextContents();
      expect(cells[0]).toContain(s.name);
      expect(cells[1]).toBe(s.size.toLocaleString('en-US'));
      expect(cells[3]).toBe(s.homogeneity.silhouette.toFixed(2));
      expect(cells[4]).toContain(s.distinctness.distance.toFixed(2));
      expect(cells[0]!.includes('too small to act on')).toBe(s.tooSmall);
    }
    const sizes = report.segments.reduce((n: number, s: { size: number }) => n + s.size, 0);
    expect(sizes).toBe(report.profiles);
    expect(await page.textContent('#discovery')).toContain(`${report.profiles.toLocaleString('en-US')} profiles`);
    const first = report.segments[0];
    await page.click(`#discovery tr[data-segment=${first.id}] button:has-text("Copy rule")`);
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(JSON.stringify(first.rule, null, 2));
    expect(await page.locator('.panel .error').count()).toBe(0);
    expect(await cspViolations.get(page)!()).toEqual([]);
    await page.context().close();
  });
});
