// Attune's script tag beside the browser bundles people would pick instead, measured the same way in one run:
// size (raw, gzip, brotli of the file a site serves) and the main-thread time each adds at page load in
// Chromium (CDP TaskDuration of a first visit, minus the same page without a script; median of repeats,
// variants interleaved so drift hits all alike). Peers are exact-pinned dev dependencies. Each is loaded
// async and initialised the way its docs show; every request leaving the page for another host is aborted
// (this machine has no internet), and the local server answers the trackers' own API calls with 200.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { sizesOf } from '../scripts/sizes.mjs';
import { bundles, buildAll } from '../scripts/build.mjs';
import { median } from './stats.mjs';

export const name = 'peers';
const REPEATS = Number(process.env.BENCH_PEERS_REPEATS ?? 9);
const nm = (p) => join(root, 'node_modules', p);
const version = (pkg) => JSON.parse(readFileSync(nm(`${pkg}/package.json`), 'utf8')).version;

/** Plausible's npm package is an ES module; a site bundles it with its init (its CDN script is not on npm). */
async function plausibleBundle() {
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
    { peer: 'Attune', pkg: null, file: bundles[0].out, tag: (o) => `<script async src="/s.js" data-write-key="demo" data-api="${o}" data-consent-default="granted"></script>` },
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

const PAGE = (tag) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${tag}</head><body><h1>A product page</h1>${'<p>Gentle daily serum with niacinamide.</p>'.repeat(40)}</body></html>`;

function serve() {
  const state = { page: PAGE(''), script: '', calls: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(state.page);
    if (req.url === '/s.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(state.script);
    // Any tracker API call: accepted, like a collector would, and counted (proof the tracker ran).
    state.calls++;
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end('{"success":true}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, origin: `http://127.0.0.1:${server.address().port}` })));
}

export async function run() {
  if (!existsSync(bundles[0].out)) await buildAll();
  const list = await peers();
  const { server, state, origin } = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  async function loadOnce(variant) {
    state.page = PAGE(variant ? variant.tag(origin) : '');
    state.script = variant ? readFileSync(variant.file, 'utf8') : '';
    state.calls = 0;
    const ctx = await browser.newContext();
    await ctx.route((url) => !url.href.startsWith(origin), (r) => r.abort());
    try {
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 400)); // start-up work after load: first sends, storage
      const { metrics } = await cdp.send('Performance.getMetrics');
      if (variant) calls.set(variant, Math.max(calls.get(variant) ?? 0, state.calls));
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    } finally {
      await ctx.close();
    }
  }
  const times = new Map([[null, []], ...list.map((p) => [p, []])]);
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
  const base = median(times.get(null));
  const attune = sizesOf(list[0].file);
  return list.map((p) => {
    const s = sizesOf(p.file);
    return {
      bench: name,
      scenario: p.peer,
      version: p.pkg ? version(p.pkg) : JSON.parse(readFileSync(join(root, 'packages/tracker/package.json'), 'utf8')).version,
      raw: s.raw,
      gzip: s.gzip,
      brotli: s.brotli,
      'brotli ÷ Attune': Number((s.brotli / attune.brotli).toFixed(1)),
      'main-thread ms added (median)': Number((median(times.get(p)) - base).toFixed(1)),
      repeats: REPEATS,
      'calls to its collector': calls.get(p) ?? 0,
    };
  });
}
