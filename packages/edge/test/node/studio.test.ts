// The studio in Chromium against `wrangler dev` (issue 21, item 8): an editor changes the dry-skin hero's title,
// sees a validation problem at its field with the API's own words, previews the draft as the dry-skin segment
// beside live, and cannot publish; a publisher publishes that draft, a dry-skin visitor's first paint shows the new
// title, and a restore brings the old one back; two publishers racing over one version get one 409; a variant
// scheduled a little ahead appears in the first paint at its start and goes at its end (the Worker runs on the wall
// clock, so the window is real and short). Every studio screen is checked with axe-core (no serious or critical
// violation).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './chromium.js';
import { ADMIN, batch, CHROME_UA, consentCookie, event, heroTitle, holdoutSafeId, parseServed, profile, ROOT, until } from './journeys/helpers.js';

const stack = useStack('admin/index.html');
const run = Date.now().toString(36);
const PASSWORD = 'correct horse battery staple';
const ACCOUNTS = { editor: `ed-${run}`, publisher: `pub-${run}`, rival: `pub2-${run}` };
const OLD = heroTitle('hero-dry');
const NEW = `Hydration, made in the studio ${run}`;
const TITLE = '[id="f-slots[0].variants[1].content.title"]';
const dryVisitor = holdoutSafeId('studio-dry');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${stack.dev.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

beforeAll(async () => {
  for (const [role, name] of [['editor', ACCOUNTS.editor], ['publisher', ACCOUNTS.publisher], ['publisher', ACCOUNTS.rival]] as const) {
    const res = await admin('/v1/admin/accounts', { method: 'POST', body: { name, role, password: PASSWORD } });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  // First seen two hours ago: a returning visitor, so outside the hero's quiz-copy experiment (new visitors only).
  await batch(stack.dev.url, [event('identify', dryVisitor, 2 * 3_600_000, { traits: { skin_type: 'dry' } })]);
  await until(async () => (await profile(stack.dev.url, dryVisitor))?.traits?.skin_type === 'dry', 'the dry-skin trait in the profile');
}, 60_000);

async function studioAs(name: string): Promise<Page> {
  const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(`${stack.dev.url}/admin/#studio`);
  await page.fill('input[name=account]', name);
  await page.fill('input[name=token]', PASSWORD);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector('.studio-nav', { timeout: 20_000 });
  return page;
}

const section = (page: Page, name: string) => page.click(`.studio-nav button:has-text("${name}")`);

/** axe-core's serious and critical violations of the page as it is now, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the dashboard's CSP (no inline script) does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The hero title a visitor in the dry-skin segment (a trait says so) gets in the page's HTML: the first paint. */
async function dryHero(): Promise<string | null> {
  const res = await fetch(`${stack.dev.url}/`, { headers: { cookie: `attune=${await consentCookie(stack.dev.url, dryVisitor)}`, 'user-agent': CHROME_UA } });
  return parseServed(await res.text()).hero.title;
}

describe('studio at /admin/#studio', () => {
  it('an editor changes the dry-skin title, sees the problem at its field, previews the draft beside live, and cannot publish', async () => {
    const page = await studioAs(ACCOUNTS.editor);
    await page.click('summary:has-text("hero-dry")');
    // An emptied title: the validator's own message, at the field, and in the summary linking to it.
    await page.fill(TITLE, '');
    const config = JSON.parse(JSON.stringify((await (await admin('/v1/config')).json()).config));
    config.slots[0].variants[1].content.title = '';
    const expected = ((await (await admin('/v1/config/validate', { method: 'POST', body: config })).json()) as { errors: { path: string; message: string }[] }).errors.find(
      (e) => e.path === 'slots[0].variants[1].content.title',
    )!;
    expect(expected, 'the validator flags an empty title').toBeTruthy();
    await expect.poll(() => page.textContent('[id="f-slots[0].variants[1].content.title-err"]'), { timeout: 20_000 }).toContain(expected.message);
    expect(await page.getAttribute(TITLE, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(TITLE, 'aria-describedby')).toContain('f-slots[0].variants[1].content.title-err');
    await page.click('.problems a:has-text("slots[0].variants[1].content.title")');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-slots[0].variants[1].content.title');
    await page.locator(TITLE).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ROOT}docs/img/studio.png` });
    expect(await axeProblems(page)).toEqual([]);

    // The rule builder (segments) and the schema's other groups pass axe too.
    await section(page, 'Segments');
    await page.click('summary:has-text("dry-skin")');
    expect(await page.locator('select[id="f-segments[1].rule-kind"]').inputValue()).toBe('any');
    expect(await axeProblems(page)).toEqual([]);
    await section(page, 'Experiments');
    expect(await axeProblems(page)).toEqual([]);

    // An editor cannot publish, and is told why.
    await section(page, 'Publish');
    expect(await page.isDisabled('button:has-text("Publish over")')).toBe(true);
    expect(await page.textContent('#publish-blockers')).toContain('needs the publisher role; you are signed in as editor');
    expect(await axeProblems(page)).toEqual([]);

    // Fixed: the problem goes, the draft is saved and survives a reload.
    await section(page, 'Content');
    await page.fill(TITLE, NEW);
    await expect.poll(() => page.locator('.problems').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.textContent('.studio-status'), { timeout: 20_000 }).toMatch(/: saved ·/);
    await page.reload();
    await page.waitForSelector('.studio-nav');
    await page.click('summary:has-text("hero-dry")');
    expect(await page.inputValue(TITLE)).toBe(NEW);

    // The draft previewed as the dry-skin segment, beside live: rendered by the edge.
    await section(page, 'Preview');
    await page.selectOption('.preview select', 'dry-skin');
    await page.click('button:has-text("Preview the draft")');
    await expect.poll(() => page.frameLocator('iframe[title^="Draft"]').locator('attune-slot[name="hero"]').textContent(), { timeout: 20_000 }).toContain(NEW);
    await expect.poll(() => page.frameLocator('iframe[title^="Live"]').locator('attune-slot[name="hero"]').textContent(), { timeout: 20_000 }).toContain(OLD);
    expect(await axeProblems(page)).toEqual([]);
    await page.context().close();
  }, 150_000);

  it('a publisher publishes the draft, a dry-skin visitor sees the new title at first paint, and a restore brings the old one back', async () => {
    expect(await dryHero()).toBe(OLD);

    const page = await studioAs(ACCOUNTS.publisher);
    await page.selectOption('.studio-status select', `studio-${ACCOUNTS.editor}`);
    await section(page, 'Publish');
    await page.fill('#publish-comment', 'Dry-skin hero: the studio title');
    await expect.poll(() => page.isEnabled('button:has-text("Publish over")'), { timeout: 20_000 }).toBe(true);
    await page.click('button:has-text("Publish over")');
    await expect.poll(() => page.textContent('.publish [role=status]'), { timeout: 20_000 }).toMatch(/Published as version \d+/);
    await expect.poll(dryHero, { timeout: 15_000 }).toBe(NEW);

    // The history names who published what; the diff between the two reads as the one changed title.
    await expect.poll(() => page.textContent('.versions tbody tr:first-child'), { timeout: 20_000 }).toContain('Dry-skin hero: the studio title');
    expect(await page.textContent('.versions tbody tr:first-child')).toContain(`${ACCOUNTS.publisher} (publisher)`);
    await expect.poll(() => page.textContent('table.diff'), { timeout: 20_000 }).toContain('slots[0].variants[1].content.title');
    expect(await axeProblems(page)).toEqual([]);

    // The audit log has the publish; schedules list the variants by status.
    await section(page, 'Audit log');
    await expect.poll(() => page.textContent('.audit tbody tr:first-child'), { timeout: 20_000 }).toContain('publish');
    expect(await axeProblems(page)).toEqual([]);
    await section(page, 'Schedules');
    await expect.poll(() => page.textContent('.schedules'), { timeout: 20_000 }).toContain('Variant hero-dry of hero');
    expect(await axeProblems(page)).toEqual([]);
    await section(page, 'Publish');

    // One click back to the version before.
    await page.locator('.versions tbody tr').nth(1).locator('button:has-text("Restore")').click();
    await expect.poll(() => page.textContent('.versions [role=status]'), { timeout: 20_000 }).toMatch(/restored as version \d+/);
    await expect.poll(dryHero, { timeout: 15_000 }).toBe(OLD);
    await page.context().close();
  }, 150_000);

  it('two publishers racing over the same version: one publishes, the other is told who did and can publish on top', async () => {
    const [a, b] = await Promise.all([studioAs(ACCOUNTS.publisher), studioAs(ACCOUNTS.rival)]);
    for (const [page, text] of [[a, 'A'], [b, 'B']] as const) {
      await page.click('summary:has-text("hero-dry")');
      await page.fill(TITLE, `${OLD} (${text})`);
      await section(page, 'Publish');
      await expect.poll(() => page.isEnabled('button:has-text("Publish over")'), { timeout: 20_000 }).toBe(true);
    }
    await a!.click('button:has-text("Publish over")');
    await expect.poll(() => a!.textContent('.publish [role=status]'), { timeout: 20_000 }).toMatch(/Published as version/);
    await b!.click('button:has-text("Publish over")');
    await expect.poll(() => b!.textContent('.publish [role=alert]'), { timeout: 20_000 }).toContain(`was published by ${ACCOUNTS.publisher}`);
    const newer = /version (\d+) was published/.exec((await b!.textContent('.publish [role=alert]'))!)![1]!;
    await b!.click('button:has-text("Keep my draft on top of version")');
    // The draft now stands on the newer version: Publish names it (and If-Match will).
    await b!.waitForSelector(`button:has-text("Publish over version ${newer}"):enabled`, { timeout: 20_000 });
    expect(await b!.locator('.publish [role=alert]').count()).toBe(0);
    await b!.click('button:has-text("Publish over")');
    await expect.poll(() => b!.textContent('.publish'), { timeout: 20_000 }).toMatch(/Published as version/);
    await expect.poll(dryHero, { timeout: 15_000 }).toBe(`${OLD} (B)`);
    await Promise.all([a!.context().close(), b!.context().close()]);
  }, 150_000);

  it('a scheduled variant appears at its start and disappears at its end, in the first paint', async () => {
    const live = await dryHero(); // what the tests before left live
    const page = await studioAs(ACCOUNTS.publisher);
    await page.click('summary:has-text("hero-dry")');
    await page.click('button[aria-label="Copy variant hero-dry"]');
    const copy = (field: string) => `[id="f-slots[0].variants[2].${field}"]`;
    await page.click('summary:has-text("hero-dry-copy")');
    await expect.poll(() => page.inputValue(copy('id'))).toBe('hero-dry-copy');
    const SCHEDULED = `Scheduled hydration ${run}`;
    await page.fill(copy('content.title'), SCHEDULED);
    await page.fill(copy('priority'), '35');
    // A real window a little ahead: the Worker runs on the wall clock, so the test waits for it.
    const from = Date.now() + 30_000;
    const until = from + 25_000;
    await page.click(`[id="f-slots[0].variants[2].schedule"]`);
    await page.fill(copy('schedule.from'), new Date(from).toISOString());
    await page.fill(copy('schedule.until'), new Date(until).toISOString());
    await section(page, 'Publish');
    await page.fill('#publish-comment', 'A scheduled dry-skin hero');
    await expect.poll(() => page.isEnabled('button:has-text("Publish over")'), { timeout: 20_000 }).toBe(true);
    await page.click('button:has-text("Publish over")');
    await expect.poll(() => page.textContent('.publish'), { timeout: 20_000 }).toMatch(/Published as version/);
    await section(page, 'Schedules');
    await expect.poll(() => page.textContent('.schedules section:has(#sched-next)'), { timeout: 20_000 }).toContain('Variant hero-dry-copy of hero');
    // Before the start (when the publish left time for a look): not yet.
    const asked = Date.now();
    const early = await dryHero();
    if (asked < from - 1_000) expect(early).toBe(live);
    await expect.poll(dryHero, { timeout: 50_000, interval: 1_000 }).toBe(SCHEDULED);
    expect(Date.now()).toBeGreaterThanOrEqual(from);
    await expect.poll(dryHero, { timeout: 50_000, interval: 1_000 }).toBe(live);
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await page.reload();
    await page.waitForSelector('.studio-nav');
    await section(page, 'Schedules');
    await expect.poll(() => page.textContent('.schedules section:has(#sched-ended)'), { timeout: 20_000 }).toContain('Variant hero-dry-copy of hero');
    await page.context().close();
  }, 180_000);
});
