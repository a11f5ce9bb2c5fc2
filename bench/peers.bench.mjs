// Attune's script tag beside the browser bundles people would pick instead, measured the same way in one run:
// size (raw, gzip, brotli of the file a site serves) and the main-thread time each adds in Chromium: CDP
// TaskDuration (thread time of every task on the page's main thread) of a first visit, minus the same page
// without the tag; median of repeats, variants interleaved so drift hits all alike. Read twice per load:
// at page load (the load event + 400 ms, the issue's figure) and through the start-up (+2.5 s: Attune gathers
// events for a second before its first batch, so only this window holds its IndexedDB write and first send).
// Attune has two rows: consent granted by the owner's default (the page view stored and sent, the consent told
// to the edge), and undecided with the consent banner shown (<attune-consent>: the widgets bundle loads and
// renders it; its baseline is the same page with the element and no tag). Two rows are floors, against the same
// baseline: the same banner, as the widgets render it, written into the page's HTML with its style sheet and no
// script at all (what drawing the banner costs, before any tag or widget runs), and the same markup put in place by
// an async script of one statement (what any banner a script draws costs: a first script, and a second layout).
// Peers are exact-pinned dev dependencies, each loaded async and initialised the way its docs show; every request
// leaving the page for another host is aborted (this machine has no internet), and the local server answers the
// trackers' own API calls with 200. BENCH_PEERS_REPEATS (default 15) loads per variant;
// BENCH_PEERS_ONLY=Attune,Plausible runs a subset (rows whose name starts with one of them);
// BENCH_PEERS_BEFORE=<file> adds another build of the tag (e.g. from an older commit) as
// "Attune, consent granted (before)", to measure a change side by side.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium } from '../scripts/chromium.mjs';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { sizesOf } from '../scripts/sizes.mjs';
import { bundles, buildAll } from '../scripts/build.mjs';
import { median } from './stats.mjs';

export const name = 'peers';
// 15: with 9, Plausible's own figure moved by up to 7 ms between runs on this shared machine (6.4–13.1).
const REPEATS = Number(process.env.BENCH_PEERS_REPEATS ?? 15);
/** ms after the load event: "at page load" (the issue's figure), and through the start-up incl. the first sends */
const AT_LOAD = 400;
const STARTUP = 2500;
/** The goal of issue 22: Attune adds at most Plausible's main-thread time + 2 ms, in the same run. */
const GOAL_MS = 2;
export const BANNER = '<attune-consent></attune-consent>';
const nm = (p) => join(root, 'node_modules', p);
const version = (pkg) => JSON.parse(readFileSync(nm(`${pkg}/package.json`), 'utf8')).version;

/** Plausible's npm package is an ES module; a site bundles it with its init (its CDN script is not on npm). */
export async function plausibleBundle() {
  const out = join(tmpdir(), `attune-bench-plausible-${process.pid}.js`);
  await build({
    // trackLocalhost: Plausible ignores localhost pages otherwise, and the bench page is one.
    stdin: { contents: "import Plausible from 'plausible-tracker'; const p = Plausible({ domain: 'shop.example', apiHost: location.origin, trackLocalhost: true }); p.trackPageview();", resolveDir: root },
    bundle: true, minify: true, format: 'iife', target: 'es2020', outfile: out, logLevel: 'error',
  });
  return out;
}

/** Each peer: the file a site serves, and how its docs start it. `{origin}` is the local server. */
async function peers() {
  return [
    { peer: 'Attune, consent granted', pkg: null, file: bundles[0].out, tag: (o) => attuneTag(o, 'granted') },
    ...(process.env.BENCH_PEERS_BEFORE
      ? [{ peer: 'Attune, consent granted (before)', pkg: null, file: process.env.BENCH_PEERS_BEFORE, tag: (o) => attuneTag(o, 'granted') }]
      : []),
    // Undecided: nothing stored or sent; the tracker loads the widgets, which show the banner.
    { peer: 'Attune, consent banner shown', pkg: null, file: bundles[0].out, body: BANNER, banner: true, tag: (o) => attuneTag(o) },
    // No script: the banner's markup and style sheet in the HTML, captured from the widgets bundle (floorBanner()).
    // (Captured in run(), once such a row is in the list: it starts a browser of its own.)
    { peer: 'Attune\'s banner as static HTML, no script (floor)', pkg: null, file: null, floor: 'static', body: null, base: BANNER, banner: true, tag: () => '' },
    { peer: 'Attune\'s banner put in by a one-statement script (floor)', pkg: null, file: null, floor: 'script', body: BANNER, banner: true, tag: () => '<script async src="/s.js"></script>' },
    { peer: 'Plausible (plausible-tracker)', pkg: 'plausible-tracker', file: await plausibleBundle(), tag: () => '<script async src="/s.js"></script>' },
    { peer: 'Segment analytics-next (standalone)', pkg: '@segment/analytics-next', file: nm('@segment/analytics-next/dist/umd/standalone.js'),
      tag: (o) => `<script>window.analytics=[];analytics._writeKey='bench';analytics._cdn='${o}';</script><script async src="/s.js"></script>` },
    { peer: 'PostHog (array.js)', pkg: 'posthog-js', file: nm('posthog-js/dist/array.js'),
      tag: (o) => `<script async src="/s.js" onload="posthog.init('phc_bench',{api_host:'${o}'})"></script>` },
    { peer: 'GrowthBook (auto)', pkg: '@growthbook/growthbook', file: nm('@growthbook/growthbook/dist/bundles/auto.min.js'),
      tag: (o) => `<script async src="/s.js" data-client-key="sdk-bench" data-api-host="${o}"></script>` },
    { peer: 'Snowplow (browser-tracker UMD)', pkg: '@snowplow/browser-tracker', file: nm('@snowplow/browser-tracker/dist/index.umd.min.js'),
      tag: (o) => `<script async src="/s.js" onload="snowplowBrowserTracking.newTracker('sp','${o}',{appId:'bench'});snowplowBrowserTracking.trackPageView()"></script>` },
    { peer: 'Mixpanel (mixpanel.min.js)', pkg: 'mixpanel-browser', file: nm('mixpanel-browser/dist/mixpanel.min.js'),
      // The library expects Mixpanel's snippet (a stub that queues calls and loads it); the snippet is in the package.
      tag: (o) => `<script>MIXPANEL_CUSTOM_LIB_URL='/s.js';${readFileSync(nm('mixpanel-browser/dist/mixpanel-jslib-snippet.min.js'), 'utf8')};mixpanel.init('bench',{api_host:'${o}',batch_requests:false});mixpanel.track_pageview()</script>` },
  ];
}

/** The bench's product page, with a tracker's tag in its head and `body` (the banner element) before the text. */
/** Attune's script tag as a site pastes it: `consent` is data-consent-default (none: the visitor decides). */
export const attuneTag = (origin, consent) =>
  `<script async src="/s.js" data-write-key="demo" data-api="${origin}"${consent ? ` data-consent-default="${consent}"` : ''}></script>`;

export { launchChromium };

export const PAGE = (tag, body = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${tag}</head><body><h1>A product page</h1>${body}${'<p>Gentle daily serum with niacinamide.</p>'.repeat(40)}</body></html>`;
export const WIDGETS = bundles.find((b) => b.out.endsWith('attune-widgets.js')).out;

/**
 * The consent banner as the widgets bundle renders it on a first visit, with the base style sheet before it, as
 * static HTML: what the page would carry if the banner cost no script at all.
 */
async function floorBanner() {
  const { server, state, origin } = await serve();
  const browser = await launchChromium();
  try {
    state.page = PAGE(attuneTag(origin), BANNER);
    state.script = readFileSync(bundles[0].out, 'utf8');
    const page = await browser.newPage();
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('attune-consent section');
    return await page.evaluate(() => `${document.querySelector('style[data-attune-css]').outerHTML}${document.querySelector('attune-consent').outerHTML}`);
  } finally {
    await browser.close();
    server.close();
  }
}

function serve() {
  const state = { page: PAGE(''), script: '', calls: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(state.page);
    if (req.url === '/s.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(state.script);
    // What Attune's tag loads itself when an <attune-…> element is on the page.
    if (req.url === '/attune-widgets.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(WIDGETS));
    if (req.url === '/favicon.ico') return res.writeHead(404).end();
    // Any tracker API call: accepted, like a collector would, and counted (proof the tracker ran).
    state.calls++;
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end('{"success":true}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, origin: `http://127.0.0.1:${server.address().port}` })));
}

export async function run() {
  if (![bundles[0].out, WIDGETS].every((f) => existsSync(f))) await buildAll();
  const only = process.env.BENCH_PEERS_ONLY?.split(',').map((x) => x.trim().toLowerCase());
  const list = (await peers()).filter((p) => !only || only.some((o) => p.peer.toLowerCase().startsWith(o)));
  const floor = list.some((p) => p.floor) && (await floorBanner());
  for (const p of list) {
    if (p.floor === 'static') p.body = floor;
    // Replaces the page's empty element with the captured style sheet and banner, once the element is parsed.
    if (p.floor === 'script')
      p.script = `(()=>{const f=()=>document.querySelector('attune-consent').outerHTML=${JSON.stringify(floor)};document.readyState=='loading'?addEventListener('DOMContentLoaded',f):f()})()`;
  }
  const { server, state, origin } = await serve();
  const browser = await launchChromium();
  const taskMs = async (cdp) => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  /** One first visit: main-thread ms at page load and through the start-up. A variant is a peer, or a baseline (no tag). */
  async function loadOnce(v) {
    state.page = PAGE(v.peer ? v.tag(origin) : '', v.body);
    state.script = v.file ? readFileSync(v.file, 'utf8') : (v.script ?? '');
    state.calls = 0;
    const ctx = await browser.newContext();
    await ctx.route((url) => !url.href.startsWith(origin), (r) => r.abort());
    try {
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      const loaded = Date.now();
      await new Promise((r) => setTimeout(r, AT_LOAD));
      const atLoad = await taskMs(cdp);
      await new Promise((r) => setTimeout(r, STARTUP - (Date.now() - loaded)));
      const startup = await taskMs(cdp);
      // Read after the figures, so nothing of this runs in the page before: proof the tag did its work.
      if (v.peer) calls.set(v, Math.max(calls.get(v) ?? 0, state.calls));
      if (v.banner && !(await page.evaluate(() => !!document.querySelector('attune-consent section'))))
        throw new Error(`${v.peer}: no banner was rendered`);
      return { atLoad, startup };
    } finally {
      await ctx.close();
    }
  }
  // One baseline per page body (the banner rows' page carries <attune-consent>, with no tag to define it).
  const baseOf = (p) => p.base ?? p.body ?? '';
  const baselines = new Map([...new Set(list.map(baseOf))].map((body) => [body, { peer: null, body }]));
  const times = new Map([...baselines.values(), ...list].map((v) => [v, []]));
  const calls = new Map();
  try {
    for (let i = 0; i < REPEATS; i++) {
      console.error(`bench: peers, load ${i + 1}/${REPEATS}`);
      for (const v of times.keys()) times.get(v).push(await loadOnce(v));
    }
  } finally {
    await browser.close();
    server.close();
  }
  const added = (p, k) => median(times.get(p).map((t) => t[k])) - median(times.get(baselines.get(baseOf(p))).map((t) => t[k]));
  const plausible = list.find((p) => p.pkg === 'plausible-tracker');
  const attune = sizesOf(list.find((p) => !p.pkg && p.file)?.file ?? bundles[0].out);
  return list.map((p) => {
    const s = p.file ? sizesOf(p.file) : { raw: '-', gzip: '-', brotli: '-' };
    const ms = Number(added(p, 'atLoad').toFixed(1));
    // The goal, for Attune's rows, against Plausible's figure of this same run.
    const limit = !p.pkg && !p.floor && plausible ? Number((added(plausible, 'atLoad') + GOAL_MS).toFixed(1)) : undefined;
    return {
      bench: name,
      scenario: p.peer,
      version: p.pkg ? version(p.pkg) : p.floor ? '-' : JSON.parse(readFileSync(join(root, 'packages/tracker/package.json'), 'utf8')).version,
      raw: s.raw,
      gzip: s.gzip,
      brotli: s.brotli,
      'brotli ÷ Attune': p.file ? Number((s.brotli / attune.brotli).toFixed(1)) : '-',
      'main-thread ms added at load (median)': ms,
      'main-thread ms added through start-up (median)': Number(added(p, 'startup').toFixed(1)),
      goal: limit === undefined ? '' : `≤ ${limit} (Plausible + ${GOAL_MS})`,
      'meets goal': limit === undefined ? '' : ms <= limit,
      repeats: REPEATS,
      'calls to its collector': calls.get(p) ?? 0,
      note: p.floor === 'static' ? 'no script: the banner the widgets render, written into the HTML; what any banner costs the page'
        : p.floor ? 'the same markup and style sheet, put in place by an async script of one statement; what any banner a script draws costs'
        : p.banner ? `sizes are the tag's; it loads attune-widgets.js (${sizesOf(WIDGETS).brotli.toLocaleString('en-US')} B brotli) for the banner` : '',
    };
  });
}
