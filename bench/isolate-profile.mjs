// Where the Worker isolate's CPU goes under `wrangler dev`: a V8 CPU profile taken through the isolate's
// inspector while a bench runs, its samples summed by where their code came from (a folder of packages/edge/src,
// a package, or V8's own "(garbage collector)" and "(program)"). wrangler dev bundles with esbuild without
// minifying, and esbuild starts each module's code with a `// <path>` line, so a sample's line in the bundle
// names its source file without a source map. What runs outside the isolate (workerd's HTTP, the local KV, D1 and
// Queue, SQLite and its fsyncs) is not in the profile: the bench's thread CPU minus the profile's busy time is that.
import WebSocket from 'ws';

/** Which part of the Worker a source path belongs to (as scripts/worker-size.mjs splits the bundle). */
export function partOfSource(path) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return pkg[1];
  const own = /packages\/edge\/src\/([^/]+)/.exec(path);
  if (own) return `src/${own[1].replace(/\.ts$/, '')}`;
  if (/(^|\/)bench\//.test(path)) return 'bench Worker (counting wrappers)';
  return path.replace(/^.*\/\.wrangler\//, '.wrangler/');
}

/** Line → source path of a bundle esbuild wrote unminified: its `// path` module headers, in order. */
export function moduleHeaders(bundleText) {
  const starts = [];
  bundleText.split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:\.\.\/)*[\w@.-][^\s]*\.(?:[cm]?[jt]sx?|json))$/.exec(line);
    if (m) starts.push([i, m[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) (found = starts[mid][1]), (lo = mid + 1);
      else hi = mid - 1;
    }
    return found;
  };
}

/**
 * Starts a CPU profile of the Worker's isolate.
 * @param {number} inspectorPort wrangler dev's `--inspector-port`
 * @param {() => Promise<unknown>} wake makes the Worker handle a request: workerd answers the inspector only while
 *   its isolate runs
 * @returns stop(): the profile summed by part ({ part, ms, share }), the busiest functions, and the total sampled
 */
export async function startIsolateProfile(inspectorPort, wake, intervalUs = 250) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  if (!targets[0]) throw new Error(`no inspector target on port ${inspectorPort}`);
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let id = 0;
  const pending = new Map();
  ws.on('message', (m) => {
    const d = JSON.parse(String(m));
    if (d.id !== undefined) pending.get(d.id)?.(d), pending.delete(d.id);
  });
  const send = (method, params = {}) => {
    const answer = new Promise((ok, fail) => {
      const i = ++id;
      pending.set(i, (r) => (r.error ? fail(new Error(`${method}: ${JSON.stringify(r.error)}`)) : ok(r.result ?? {})));
      ws.send(JSON.stringify({ id: i, method, params }));
    });
    void wake().catch(() => undefined);
    const timeout = new Promise((_, fail) => setTimeout(() => fail(new Error(`the inspector did not answer ${method} in 60 s`)), 60_000).unref());
    return Promise.race([answer, timeout]);
  };
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  await send('Profiler.start');
  return async function stop() {
    const { profile } = await send('Profiler.stop');
    // The scripts' text, by the debugger's script ids the profile's frames carry (after the profile: the debugger
    // is never on while it samples).
    await send('Debugger.enable');
    const sources = new Map();
    for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId).filter((id) => id && id !== '0'))) {
      const { scriptSource } = await send('Debugger.getScriptSource', { scriptId }).catch(() => ({}));
      if (scriptSource) sources.set(scriptId, scriptSource);
    }
    await send('Debugger.disable');
    ws.close();
    return summarize(profile, sources);
  };
}

/** Self time by part and by function from a V8 CPU profile (Profiler.stop's `profile`), `sources` the text of
 * its scripts by script id. */
export function summarize(profile, sources = new Map()) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map();
  // Time per sample: the gaps V8 recorded (timeDeltas, µs), given to the node sampled.
  profile.samples.forEach((nodeId, i) => hits.set(nodeId, (hits.get(nodeId) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const headers = new Map();
  const sourceOf = (f) => {
    if (!f.url) return null;
    if (!headers.has(f.scriptId)) headers.set(f.scriptId, sources.has(f.scriptId) ? moduleHeaders(sources.get(f.scriptId)) : () => null);
    return headers.get(f.scriptId)(f.lineNumber) ?? f.url;
  };
  const lines = new Map();
  const lineOf = (f) => {
    if (!lines.has(f.scriptId)) lines.set(f.scriptId, sources.get(f.scriptId).split('\n'));
    return lines.get(f.scriptId)[f.lineNumber] ?? '';
  };
  const parts = new Map();
  const fns = new Map();
  let total = 0;
  let idle = 0;
  for (const [nodeId, us] of hits) {
    const { callFrame: f } = byId.get(nodeId);
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const source = sourceOf(f);
    const part = source ? partOfSource(source) : /^\(/.test(f.functionName) ? f.functionName : `runtime API ${f.functionName || '(anonymous)'}`;
    parts.set(part, (parts.get(part) ?? 0) + us);
    // An anonymous function is named by the code where it starts (e.g. `(anonymous) ingest/routes.ts: ([key, g]) => writer(…`).
    const at = !f.functionName && sources.has(f.scriptId) ? `: ${lineOf(f).slice(f.columnNumber, f.columnNumber + 60).trim()}` : '';
    const fn = `${f.functionName || '(anonymous)'} ${source ? source.replace(/^.*?(packages\/edge\/src\/|node_modules\/)/, '') : ''}${at}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { busyMs: total / 1000, idleMs: idle / 1000, parts: sorted(parts), functions: sorted(fns).slice(0, 25) };
}
