// Issue 22 item 8, the profile: what a first visit runs on the page's main thread with Attune's tag, Plausible's,
// and no tag, from a Chromium trace (devtools.timeline + v8 categories). For each variant, the median over
// TRACE_REPEATS loads (default 5) of the ms per trace event name on the renderer main thread (inclusive: a
// FunctionCall contains the v8 compile and GC inside it), from navigation to load + 400 ms (the peers bench's
// "at load" window; TRACE_WINDOW_MS=2500 follows the start-up, where the tracker's storage and sends now run).
// TRACE_MARKS=1 marks each call to indexedDB.open, navigator.locks.request, fetch and sendBeacon (user timing), so
// the order below names them (the marks cost a little, so leave it off for the cost table).
// TRACE_BEFORE=<file> adds another build of the tag as a variant ("before", e.g. built from an older commit), so a
// change is measured side by side. Run: `node bench/tracker-trace.mjs` after `npm run build`. Prints one table, ms.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { bundles } from '../scripts/build.mjs';
import { attuneTag, BANNER, launchChromium, PAGE, plausibleBundle, WIDGETS } from './peers.bench.mjs';
import { median } from './stats.mjs';

const REPEATS = Number(process.env.TRACE_REPEATS ?? 5);
const WINDOW = Number(process.env.TRACE_WINDOW_MS ?? 400);
const CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'].join(',');
/** The events worth naming: script, timers, storage-ish callbacks, GC, style and layout. */
const KEEP = /^(RunTask|ThreadControllerImpl::RunTask|EvaluateScript|v8\.compile|v8\.compileModule|v8\.produceCache|FunctionCall|TimerFire|TimerInstall|FireIdleCallback|EventDispatch|MinorGC|MajorGC|V8\.GC.*|ParseHTML|UpdateLayoutTree|Layout|Paint|PrePaint|Layerize|ResourceSendRequest|XHRReadyStateChange|FireAnimationFrame|v8\.callFunction|V8\.Execute|v8\.run|ScheduleStyleRecalculation|InvalidateLayout)$/;

const state = { page: '', script: '' };
const server = createServer((req, res) => {
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(state.page);
  if (req.url === '/s.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(state.script);
  if (req.url === '/attune-widgets.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(WIDGETS));
  if (req.url === '/favicon.ico') return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end('{"success":true}');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const variants = [
  { name: 'no tag', tag: '', file: null },
  { name: 'Attune, consent granted', file: bundles[0].out, tag: attuneTag(origin, 'granted') },
  ...(process.env.TRACE_BEFORE
    ? [{ name: 'Attune, consent granted (before)', file: process.env.TRACE_BEFORE, tag: attuneTag(origin, 'granted') }]
    : []),
  { name: 'no tag, banner element', tag: '', file: null, body: BANNER },
  { name: 'Attune, consent banner shown', file: bundles[0].out, body: BANNER, tag: attuneTag(origin) },
  { name: 'Plausible', file: await plausibleBundle(), tag: '<script async src="/s.js"></script>' },
];
const browser = await launchChromium();

const MARKS = `(() => {
  const wrap = (obj, name, what) => {
    const f = obj && obj[name];
    if (typeof f == 'function') obj[name] = function (...a) { performance.mark('io: ' + what); return f.apply(this, a); };
  };
  wrap(indexedDB, 'open', 'indexedDB.open');
  wrap(IDBDatabase.prototype, 'transaction', 'IndexedDB transaction');
  wrap(navigator.locks, 'request', 'navigator.locks.request');
  wrap(window, 'fetch', 'fetch');
  wrap(navigator, 'sendBeacon', 'sendBeacon');
})();`;
const tagOf = (url) => (url?.endsWith('/s.js') ? ' (tag)' : url?.endsWith('/attune-widgets.js') ? ' (widgets)' : '');

/** One traced first visit: ms per event name on the main thread (thread time where the trace has it). */
async function traceOnce(v) {
  state.page = PAGE(v.tag, v.body);
  state.script = v.file ? readFileSync(v.file, 'utf8') : '';
  const ctx = await browser.newContext();
  await ctx.route((url) => !url.href.startsWith(origin), (r) => r.abort());
  if (process.env.TRACE_MARKS) await ctx.addInitScript(MARKS);
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, WINDOW));
    await cdp.send('Tracing.end');
    await done;
    // The page's renderer main thread: CrRendererMain of the process that ran the navigation's ParseHTML.
    const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
    const parse = events.find((e) => e.name === 'ParseHTML' && mains.includes(`${e.pid}:${e.tid}`) && e.args?.beginData?.url?.startsWith(origin));
    const key = parse ? `${parse.pid}:${parse.tid}` : mains[0];
    const out = {};
    // In what order the tag's work runs, ms from the load event: its script, timers, callbacks and requests.
    const mine = events.filter((e) => `${e.pid}:${e.tid}` === key);
    const load = mine.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'load')?.ts ?? 0;
    const order = mine
      .filter((e) => e.name.startsWith('io: ') || (e.name === 'ResourceSendRequest' && !/\/(s\.js)?$/.test(new URL(e.args?.data?.url ?? origin).pathname)) ||
        (/^(EvaluateScript|FunctionCall|TimerFire)$/.test(e.name) && tagOf(e.args?.data?.url)))
      .map((e) => `${((e.ts - load) / 1000).toFixed(0)} ms ${e.name}${tagOf(e.args?.data?.url)}${e.name === 'ResourceSendRequest' ? ` ${new URL(e.args.data.url).pathname}` : e.name.startsWith('io: ') ? '' : ` ${((e.tdur ?? e.dur ?? 0) / 1000).toFixed(2)} ms`}`);
    for (const e of events) {
      if (`${e.pid}:${e.tid}` !== key || e.ph !== 'X' || !KEEP.test(e.name)) continue;
      const ms = (e.tdur ?? e.dur ?? 0) / 1000;
      let name = e.name;
      // Whose script: the tag's file or the page (inline).
      if (name === 'EvaluateScript' || name === 'v8.compile') name += tagOf(e.args?.data?.url);
      if (name === 'FunctionCall' || name === 'TimerFire' || name === 'EventDispatch') {
        const d = e.args?.data ?? {};
        name += tagOf(d.url) || (d.type ? ` (${d.type})` : '');
      }
      out[name] = (out[name] ?? 0) + ms;
    }
    return { out, order };
  } finally {
    await ctx.close();
  }
}

const runs = new Map(variants.map((v) => [v, []]));
const orders = new Map();
for (let i = 0; i < REPEATS; i++)
  for (const v of variants) {
    const { out, order } = await traceOnce(v);
    runs.get(v).push(out);
    orders.set(v, order);
  }
await browser.close();
server.close();
for (const v of variants) if (v.file) console.log(`${v.name}, the last load, from the load event:\n  ${orders.get(v).join('\n  ')}`);
const names = [...new Set([...runs.values()].flat().flatMap((r) => Object.keys(r)))].sort();
const rows = names.map((n) => Object.fromEntries([['event (ms, median)', n], ...variants.map((v) => [v.name, Number(median(runs.get(v).map((r) => r[n] ?? 0)).toFixed(2))])]));
console.table(rows);
