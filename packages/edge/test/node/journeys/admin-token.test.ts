// Journey 6: the admin token never reaches a browser. Every built file under dist/site (html, js, json, svg…)
// and every response the Worker serves along a visitor's way — pages with and without consent, scripts,
// API answers — is searched for the development token (`dev-admin`) and for the ATTUNE_ADMIN_TOKEN secret
// this stack runs with; and the admin API refuses requests without it (or with the development token, once
// a real secret is set).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../chromium.js';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../../scripts/dev-server.mjs';
import { consentBanner, hydrated, newVisitor, ROOT, shooter, takeQuiz, until } from './helpers.js';

const shot = shooter('admin-token');
const SECRET = `journey-secret-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const TOKENS = ['dev-admin', SECRET];
let dev: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  // This stack runs with a real secret, as a deployment would.
  dev = await startDev({ vars: { ATTUNE_ADMIN_TOKEN: SECRET } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const leaks = (text: string) => TOKENS.filter((t) => text.includes(t));

describe('journey: the admin token never reaches a page', () => {
  it('is in no built file under dist/site', () => {
    const built = files(`${ROOT}dist/site`);
    expect(built.some((f) => f.endsWith('attune.js'))).toBe(true);
    expect(built.some((f) => f.endsWith('.html'))).toBe(true);
    const found = built.filter((f) => leaks(readFileSync(f, 'latin1')).length).map((f) => f.slice(ROOT.length));
    expect(found).toEqual([]);
  });

  it('is in no response served along a visitor journey, and the admin API refuses without it', async () => {
    const url = dev.url;
    const { ctx, page, id } = await newVisitor(browser);
    const seen: { url: string; leaked: string[] }[] = [];
    const pending: Promise<void>[] = [];
    ctx.on('response', (r) =>
      pending.push(
        r.body().then(
          (b) => void seen.push({ url: r.url(), leaked: leaks(b.toString('latin1')) }),
          () => undefined, // redirects and aborted requests have no body
        ),
      ),
    );
    // Every page the visitor would open: before and after consent, after the quiz. Pages not built yet are
    // still served (a 404 page) and checked.
    const paths = ['/', '/quiz', '/c/moisturizers', '/search?q=cream', '/products/moi-001', '/cart', '/checkout', '/account', '/order/confirmed?order=x'];
    await page.goto(`${url}/`);
    await hydrated(page);
    await consentBanner(page, 'Accept all');
    await takeQuiz(page, [['Tight or flaky'], ['Fine lines'], ['€20–40']]);
    for (const p of paths) await page.goto(`${url}${p}`);
    await page.goto(`${url}/`);
    await hydrated(page);
    await page.waitForLoadState('networkidle');
    await shot(page, 'home');
    await Promise.all(pending);
    expect(seen.length).toBeGreaterThan(paths.length);
    expect(seen.filter((s) => s.url.endsWith('/attune-widgets.js')).length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.leaked.length)).toEqual([]);
    // And as fetched without a browser: the pages with and without the consent cookie.
    for (const p of paths)
      for (const cookie of ['', `attune=${(await ctx.cookies(url)).find((c) => c.name === 'attune')?.value}`]) expect(leaks(await (await fetch(`${url}${p}`, { headers: { cookie } })).text()), p).toEqual([]);

    const get = (token?: string) => fetch(`${url}/v1/profiles/${encodeURIComponent(id)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('dev-admin')).status).toBe(401);
    expect((await get(`${SECRET}x`)).status).toBe(401);
    const ok = await until(async () => ((await get(SECRET)).status === 200 ? get(SECRET) : null), 'the profile through the admin API');
    expect(leaks(await ok.text())).toEqual([]);
    await ctx.close();
  });
});
