// Shared by the journey specs: a browser context as a real visitor's, screenshots, the admin API, and the
// Segment HTTP API a shop's server library would call. Node-side only: no workerd modules here.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bucket, pickArm } from '../../../src/experiments/hash.js';

export const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
export const ADMIN = 'dev-admin';
/** What a regular desktop Chrome sends: headless Chromium's own UA counts as a bot, and bots get no experiments. */
export const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const config = JSON.parse(readFileSync(`${ROOT}demo-site/attune.config.json`, 'utf8')) as {
  holdout: { percent: number; salt: string };
  experiments: { id: string; arms: { id: string; weight: number }[] }[];
  slots: { id: string; default: { title?: string }; variants: { id: string; content: { title?: string } }[] }[];
};
export type Product = { id: string; name: string; categories: string[]; tags: string[]; attributes: { skinType: string[] }; inStock: boolean; price: number };
export const catalog = (JSON.parse(readFileSync(`${ROOT}demo-site/catalog/products.json`, 'utf8')) as { products: Product[] }).products;
export const productById = new Map(catalog.map((p) => [p.id, p]));

/** The hero's title for a variant id of the config (`default` for the default). */
export function heroTitle(variant: string): string {
  const hero = config.slots.find((s) => s.id === 'hero')!;
  const t = variant === 'default' ? hero.default.title : hero.variants.find((v) => v.id === variant)?.content.title;
  if (!t) throw new Error(`no hero variant ${variant} in the config`);
  return t;
}

/** The arm an id would be bucketed into on first exposure (decide hashes experiment id and visitor id). */
export function armOf(experiment: string, id: string): string {
  const e = config.experiments.find((x) => x.id === experiment);
  if (!e) throw new Error(`no experiment ${experiment} in the config`);
  return pickArm(e.arms, bucket(e.id, id)).id;
}

let n = 0;
/**
 * A fresh anonymous id outside the demo's 5% holdout (held-out visitors get the defaults, so a journey that
 * expects personalization would fail 1 time in 20).
 */
export function holdoutSafeId(prefix = 'journey'): string {
  for (;;) {
    const id = `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    if (bucket(`holdout:${config.holdout.salt}`, id) >= config.holdout.percent / 100) return id;
  }
}

type VisitorOptions = {
  /** A regular Chrome UA instead of headless Chromium's (experiments apply). */
  chromeUA?: boolean;
  mobile?: boolean;
};

/**
 * A first-time visitor: nothing stored yet, so the consent banner asks. The tracker's anonymous id (its first
 * `crypto.randomUUID()` while nothing is stored) is pinned to a holdout-safe one, so the journey is deterministic.
 */
export async function newVisitor(browser: Browser, opts: VisitorOptions & { id?: string } = {}) {
  const id = opts.id ?? holdoutSafeId('anon');
  const ctx = await newContext(browser, opts);
  await ctx.addInitScript((id) => {
    try {
      if (localStorage.getItem('attune')) return;
      const original = crypto.randomUUID.bind(crypto);
      let next: string | null = id;
      crypto.randomUUID = (() => {
        const x = next ?? original();
        next = null;
        return x;
      }) as typeof crypto.randomUUID;
    } catch {}
  }, id);
  return { ctx, page: await ctx.newPage(), id };
}

/**
 * A browser as an earlier consented visit left it: the tracker's record (consent, anonymous id, acknowledged)
 * in localStorage and the first-party cookie the edge signed on POST /v1/consent (asked for here, as the
 * tracker did then: only the edge can make one).
 */
export async function returningVisitor(browser: Browser, url: string, id = holdoutSafeId('anon'), opts: VisitorOptions = {}) {
  const ctx = await newContext(browser, opts);
  await ctx.addCookies([{ name: 'attune', value: await consentCookie(url, id), url, httpOnly: true, sameSite: 'Lax' }]);
  await ctx.addInitScript((id) => {
    try {
      if (!localStorage.getItem('attune')) localStorage.setItem('attune', JSON.stringify({ analytics: true, personalization: true, id, uid: null, s: 1 }));
    } catch {}
  }, id);
  return { ctx, page: await ctx.newPage(), id };
}

/** The consent cookie's value the edge issues to `anonymousId` for a grant of every purpose. */
export async function consentCookie(url: string, anonymousId: string): Promise<string> {
  const res = await fetch(`${url}/v1/consent`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId, consent: { analytics: true, personalization: true } }) });
  const value = /^attune=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!value) throw new Error(`POST /v1/consent set no cookie: ${res.status} ${await res.text()}`);
  return value;
}

function newContext(browser: Browser, opts: VisitorOptions): Promise<BrowserContext> {
  return browser.newContext({
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.chromeUA ? { userAgent: CHROME_UA } : {}),
  });
}

/** Screenshots kept as test artifacts: test-artifacts/journeys/<spec>/<name>.png */
export function shooter(spec: string) {
  const dir = `${ROOT}test-artifacts/journeys/${spec}`;
  rmSync(dir, { recursive: true, force: true }); // only this run's screenshots
  mkdirSync(dir, { recursive: true });
  let i = 0;
  return (page: Page, name: string) => page.screenshot({ path: `${dir}/${String(++i).padStart(2, '0')}-${name}.png`, fullPage: true });
}

/** Polls until fn returns something truthy (events are delivered asynchronously). */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The profile as the admin API returns it (only what the journeys read).
export type Profile = {
  id: string;
  ids: { anonymousIds: string[]; userId?: string | null };
  answers: Record<string, { value: unknown }>;
  traits: Record<string, unknown>;
  counters: Record<string, { count: number; firstAt: string; lastAt: string }>;
  commerce: { orders: number; purchased: string[]; cart: { productId: string }[] };
  segments: string[] | Record<string, unknown>;
  experiments: Record<string, { arm?: string; variant?: string } & Record<string, unknown>>;
};

export async function profile(url: string, id: string): Promise<Profile | null> {
  const res = await fetch(`${url}/v1/profiles/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET /v1/profiles/${id}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** POST /v1/batch as a server-side Segment library sends it (write key as Basic-auth user). */
export async function batch(url: string, events: Record<string, unknown>[]) {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('demo:').toString('base64')}` },
    body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/batch: ${res.status} ${body}`);
  return JSON.parse(body);
}

/** One Segment-shaped event `ms` before now. */
export function event(type: 'track' | 'page' | 'identify', anonymousId: string, agoMs: number, fields: Record<string, unknown>) {
  return {
    type,
    anonymousId,
    messageId: `m-${anonymousId}-${n++}`,
    timestamp: new Date(Date.now() - agoMs).toISOString(),
    context: { consent: { analytics: true, personalization: true }, library: { name: 'analytics-node', version: '2.0.0' } },
    ...fields,
  };
}

/** The commerce properties of a catalog product, as a store sends them with Product Viewed/Added. */
export function productProps(id: string, quantity = 1) {
  const p = productById.get(id);
  if (!p) throw new Error(`no product ${id} in the catalog`);
  return { product_id: p.id, name: p.name, category: p.categories[0], price: p.price, quantity, tags: p.tags };
}

/** What the page's hero and recs rows are, read from the DOM. */
export async function readHome(page: Page) {
  return page.evaluate(() => {
    const hero = document.querySelector('attune-slot[name="hero"]');
    const recs = [...document.querySelectorAll('attune-recs')].map((r) => ({
      strategy: r.getAttribute('strategy'),
      filled: r.hasAttribute('data-attune-filled'),
      ids: [...r.querySelectorAll('[data-id]')].map((x) => x.getAttribute('data-id')!),
    }));
    return {
      hero: {
        filled: !!hero?.hasAttribute('data-attune-filled'),
        variant: hero?.querySelector('[data-variant]')?.getAttribute('data-variant') ?? null,
        title: hero?.querySelector('h1,h2,h3')?.textContent?.trim() ?? null,
      },
      recs,
    };
  });
}

/** The experiment exposure the served hero carries (its data child), if any. */
export function servedExposure(html: string): { experiment_id: string; variant_id: string } | null {
  const hero = /<attune-slot name="hero"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html);
  const data = hero && /<script type="application\/json" data-attune>([\s\S]*?)<\/script>/.exec(hero[1]!);
  return data ? (JSON.parse(data[1]!).exposure ?? null) : null;
}

/** The served HTML's hero variant, title, and the product ids of a recs row (by strategy). */
export function parseServed(html: string) {
  const hero = /<attune-slot name="hero"([^>]*)>([\s\S]*?)<\/attune-slot>/.exec(html);
  const recs = [...html.matchAll(/<attune-recs([^>]*)>([\s\S]*?)<\/attune-recs>/g)].map((m) => ({
    strategy: /strategy="([^"]+)"/.exec(m[1]!)?.[1] ?? null,
    filled: m[1]!.includes('data-attune-filled'),
    ids: [...m[2]!.matchAll(/<li[^>]*data-id="([^"]+)"/g)].map((x) => x[1]!),
  }));
  return {
    hero: {
      filled: !!hero?.[1]!.includes('data-attune-filled'),
      variant: hero ? (/data-variant="([^"]+)"/.exec(hero[2]!)?.[1] ?? null) : null,
      title: hero ? (/<h[1-3][^>]*>([^<]*)<\/h[1-3]>/.exec(hero[2]!)?.[1]?.trim() ?? null) : null,
    },
    recs,
  };
}

/**
 * Loads a page and returns the HTML as the Worker served it (before any script ran) with the response.
 */
export async function visit(page: Page, url: string) {
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res) throw new Error(`no response for ${url}`);
  return { status: res.status(), html: await res.text(), headers: res.headers() };
}

/** Waits until the widgets bundle ran: the custom elements are defined and the consent banner/quiz rendered. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => !!customElements.get('attune-slot') && !!customElements.get('attune-recs') && !!customElements.get('attune-consent'), undefined, {
    timeout: 20_000,
  });
}

/**
 * Records, from before the first byte: layout shifts (with whether they touched a slot or recs row), every
 * distinct hero title the page ever showed, and the first contentful paint.
 */
export async function watchRendering(ctx: BrowserContext) {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __journey: { shifts: { value: number; inSlot: boolean }[]; heroTitles: string[]; fcp: number | null } };
    const j: (typeof w)['__journey'] = (w.__journey = { shifts: [], heroTitles: [], fcp: null });
    const heroTitle = () => document.querySelector('attune-slot[name="hero"]')?.querySelector('h1,h2,h3')?.textContent?.trim();
    const note = () => {
      const t = heroTitle();
      if (t && j.heroTitles[j.heroTitles.length - 1] !== t) j.heroTitles.push(t);
    };
    new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
    document.addEventListener('DOMContentLoaded', note);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node: Node | null }[] }[]) {
        if (e.hadRecentInput) continue;
        const inSlot = (e.sources ?? []).some((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          return !!el?.closest('attune-slot, attune-recs');
        });
        j.shifts.push({ value: e.value, inSlot });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') j.fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
  });
}

export const rendering = (page: Page) =>
  page.evaluate(() => (window as unknown as { __journey: { shifts: { value: number; inSlot: boolean }[]; heroTitles: string[]; fcp: number | null } }).__journey);

/** Clicks a button of the consent banner by its label. */
export async function consentBanner(page: Page, choice: 'Accept all' | 'Reject all') {
  const banner = page.locator('attune-consent section');
  await banner.waitFor({ state: 'visible', timeout: 20_000 });
  await banner.getByRole('button', { name: choice }).click();
  await banner.waitFor({ state: 'detached', timeout: 5_000 });
}

/** Answers the skin quiz on the page: the given answer label per question, then Finish. */
export async function takeQuiz(page: Page, answers: string[][]) {
  const quiz = page.locator('attune-quiz#skin form');
  await quiz.waitFor({ state: 'visible', timeout: 20_000 });
  for (const labels of answers) {
    for (const label of labels) await quiz.getByLabel(label).check();
    await quiz.locator('button[type="submit"]').click();
  }
  await quiz.locator('[data-done]').waitFor({ timeout: 5_000 });
}
