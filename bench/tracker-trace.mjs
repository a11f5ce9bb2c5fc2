// Issue 22 item 8, the profile: what a first visit runs on the page's main thread with Attune's tag, Plausible's,
// and no tag, from a Chromium trace (devtools.timeline + v8 categories). For each variant, the median over
// TRACE_REPEATS loads (default 5) of the ms per trace event name on the renderer main thread (inclusive: a
// FunctionCall contains the v8 compile and GC inside it), from navigation to load + 400 ms (the peers bench's
// "at load" window). Run: `node bench/tracker-trace.mjs` after `npm run build`. Prints one table, ms, to stdout.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { root } from '../packages/edge/scripts/dev-server.mjs';
import { bundles } from '../scripts/build.mjs';
import { median } from './stats.mjs';

const REPEATS = Number(process.env.TRACE_REPEATS ?? 5);
const PAGE = (tag) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${tag}</head><body><h1>A product page</h1>${'<p>Gentle daily serum with niacinamide.</p>'.repeat(40)}</body></html>`;
const CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'].join(',');
/** The events worth naming: script, timers, storage-ish callbacks, GC, style and layout. */
const KEEP = /^(RunTask|ThreadControllerImpl::RunTask|EvaluateScript|v8\.compile|v8\.compileModule|v8\.produceCache|FunctionCall|TimerFire|TimerInstall|FireIdleCallback|EventDispatch|MinorGC|MajorGC|V8\.GC.*|ParseHTML|UpdateLayoutTree|Layout|Paint|PrePaint|Layerize|ResourceSendRequest|XHRReadyStateChange|FireAnimationFrame|v8\.callFunction|V8\.Execute|v8\.run|ScheduleStyleRecalculation|InvalidateLayout)$/;

async function plausibleBundle() {
  const out = join(tmpdir(), `attune-trace-plausible-${process.pid}.js`);
  await build({ stdin: { contents: "import Plausible from 'plausible-tracker'; const p = Plausible({ domain: 'shop.example', apiHost: location.origin, trackLocalhost: true }); p.trackPageview();", resolveDir: root },
    bundle: true, minify: true, format: 'iife', target: 'es2020', outfile: out, logLevel: 'error' });
  return out;
}

const state = { page: '', script: '' };
const server = createServer((req, res) => {
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(state.page);
  if (req.url === '/s.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(state.script);
  if (req.url === '/favicon.ico') return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end('{"success":true}');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const variants = [
  { name: 'no tag', tag: '', file: null },
  { name: 'Attune, consent granted', file: bundles[0].out, tag: `<script async src="/s.js" data-write-key="demo" data-api="${origin}" data-consent-default="granted"></script>` },
  { name: 'Plausible', file: await plausibleBundle(), tag: '<script async src="/s.js"></script>' },
];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

/** One traced first visit: ms per event name on the main thread (thread time where the trace has it). */
async function traceOnce(v) {
  state.page = PAGE(v.tag);
  state.script = v.file ? readFileSync(v.file, 'utf8') : '';
  const ctx = await browser.newContext();
  await ctx.route((url) => !url.href.startsWith(origin), (r) => r.abort());
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 400));
    await cdp.send('Tracing.end');
    await done;
    // The page's renderer main thread: CrRendererMain of the process that ran the navigation's ParseHTML.
    const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
    const parse = events.find((e) => e.name === 'ParseHTML' && mains.includes(`${e.pid}:${e.tid}`));
    const key = parse ? `${parse.pid}:${parse.tid}` : mains[0];
    const out = {};
    for (const e of events) {
      if (`${e.pid}:${e.tid}` !== key || e.ph !== 'X' || !KEEP.test(e.name)) continue;
      const ms = (e.tdur ?? e.dur ?? 0) / 1000;
      let name = e.name;
      // Whose script: the tag's file or the page (inline).
      if (name === 'EvaluateScript' || name === 'v8.compile') name += e.args?.data?.url?.endsWith('/s.js') ? ' (tag)' : '';
      if (name === 'FunctionCall' || name === 'TimerFire' || name === 'EventDispatch') {
        const d = e.args?.data ?? {};
        name += d.url?.endsWith('/s.js') ? ' (tag)' : d.type ? ` (${d.type})` : '';
      }
      out[name] = (out[name] ?? 0) + ms;
    }
    return out;
  } finally {
    await ctx.close();
  }
}

const runs = new Map(variants.map((v) => [v, []]));
for (let i = 0; i < REPEATS; i++) for (const v of variants) runs.get(v).push(await traceOnce(v));
await browser.close();
server.close();
const names = [...new Set([...runs.values()].flat().flatMap((r) => Object.keys(r)))].sort();
const rows = names.map((n) => Object.fromEntries([['event (ms, median)', n], ...variants.map((v) => [v.name, Number(median(runs.get(v).map((r) => r[n] ?? 0)).toFixed(2))])]));
console.table(rows);
