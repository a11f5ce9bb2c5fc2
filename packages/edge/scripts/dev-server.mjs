// Starts `wrangler dev` (the real local stack: workerd, KV, Durable Objects, D1) on a free port with its
// own state directory, for tests and the benchmark that drive the Worker from Node.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * How wrangler bundles the Worker, for what here bundles it itself (this snapshot, the size budget, the isolate
 * bench): ESM for workerd, and wrangler's own conditions (hyparquet, the archive, exports its Node build, which
 * imports fs, by default). `minify` is wrangler.toml's for deploy: minified, no kept names.
 * @param {boolean} [minify]
 */
export const workerBundleOptions = (minify = false) => ({
  bundle: true,
  format: /** @type {const} */ ('esm'),
  platform: /** @type {const} */ ('neutral'),
  target: 'es2022',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser'],
  logLevel: /** @type {const} */ ('warning'),
  ...(minify && { minify: true, keepNames: false }),
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/**
 * The Worker with `GET /__scheduled?cron=…` in front, as `wrangler dev --test-scheduled` adds it to a Worker it
 * bundles itself (not to the --no-bundle snapshot run here); wrangler's /cdn-cgi/handler/scheduled fails next to
 * static assets (DataCloneError: ScheduledController cannot be serialized to the user Worker). The cron is the
 * workplace's: the visitor Worker hands the request on over its WORKPLACE binding.
 * @param {string} entry
 * @param {boolean} runsCron the workplace Worker (else the visitor, which passes it on)
 */
function testScheduledEntry(entry, runsCron) {
  return `import worker from ${JSON.stringify(entry)};
export * from ${JSON.stringify(entry)};
export default {
  ...worker,
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname !== '/__scheduled') return worker.fetch(request, env, ctx);
    ${runsCron ? '' : 'return env.WORKPLACE.fetch(request);'}
    const cron = url.searchParams.get('cron') ?? '';
    await worker.scheduled({ cron, scheduledTime: Date.now(), type: 'scheduled', noRetry() {} }, env, ctx);
    return new Response('Ran scheduled event');
  },
};
`;
}

/**
 * The two Workers' configs for a local run, written as JSON where wrangler reads them: the deploy's own
 * (wrangler.toml for the visitor, wrangler.workplace.toml for the workplace) with their entries, the assets and the
 * variables replaced and every path made absolute. `wrangler dev -c visitor.json -c workplace.json` then runs both
 * in one runtime, sharing KV, D1, R2, the Queue and the profile writers; `--var` would reach only the first.
 * A `.dev.vars` at the repository's root (local secrets) is copied beside them, where both read it.
 * @param {{ dir: string, visitorMain: string, workplaceMain: string, assets?: string, vars?: Record<string, string>, bundled?: boolean }} o
 *   `bundled`: the entries are snapshots already bundled (wrangler runs them as they are)
 * @returns {{ visitor: string, workplace: string }} the two files
 */
export function writeLocalConfigs(o) {
  mkdirSync(o.dir, { recursive: true });
  const files = { visitor: join(o.dir, 'visitor.json'), workplace: join(o.dir, 'workplace.json') };
  for (const [name, from, main] of /** @type {const} */ ([
    ['visitor', 'wrangler.toml', o.visitorMain],
    ['workplace', 'wrangler.workplace.toml', o.workplaceMain],
  ])) {
    const c = parse(readFileSync(join(root, from), 'utf8'));
    c.main = main;
    if (o.bundled) c.no_bundle = true;
    // A local stack: the development admin token (`dev-admin`) works here and nowhere else.
    c.vars = { .../** @type {object} */ (c.vars), ATTUNE_ENV: 'development', ...o.vars };
    for (const d of /** @type {{ migrations_dir?: string }[]} */ (c.d1_databases ?? [])) if (d.migrations_dir) d.migrations_dir = join(root, d.migrations_dir);
    if (c.assets) c.assets = { .../** @type {object} */ (c.assets), directory: o.assets ?? join(root, 'dist/site') };
    writeFileSync(files[name], JSON.stringify(c, null, 2));
  }
  if (existsSync(join(root, '.dev.vars'))) cpSync(join(root, '.dev.vars'), join(o.dir, '.dev.vars'));
  return files;
}

/**
 * Folds the workplace's config into the visitor's, for a one-Worker composition (startDev's `oneWorker`): the
 * archive, the Queue's consumer and the cron join the visitor's bindings, and the hand-over binding goes.
 * @param {{ visitor: string, workplace: string }} files as writeLocalConfigs wrote them
 */
function oneWorkerConfig(files) {
  const v = JSON.parse(readFileSync(files.visitor, 'utf8'));
  const w = JSON.parse(readFileSync(files.workplace, 'utf8'));
  delete v.services;
  v.r2_buckets = w.r2_buckets;
  v.queues = { ...v.queues, consumers: w.queues.consumers };
  v.triggers = w.triggers;
  writeFileSync(files.visitor, JSON.stringify(v, null, 2));
}

/**
 * Runs both Workers as a deploy has them: the visitor Worker (the demo store's by default, as `npm start` runs it:
 * the product's with the demo's sign-in mounted) and the workplace Worker it hands the marketer's paths to.
 * @param {{ vars?: Record<string, string>, port?: number, quiet?: boolean, persistTo?: string, stateIn?: string, inspectorPort?: number, entry?: string, oneWorker?: boolean, testScheduled?: boolean }} [opts] `persistTo`: an
 *   existing state directory (e.g. a seeded D1), kept after stop; otherwise a fresh one (in `stateIn`, else the
 *   OS temp directory), removed after. `entry`: another visitor Worker module to run instead of the demo store's
 *   (demo-site/backend/worker.ts), as a path from the repository root. `oneWorker`: `entry` is a one-Worker
 *   composition (src/index.ts answers every path and consumes the Queue; the ingest bench's wraps it to count D1
 *   and the Queue in one isolate), run alone with the workplace's bindings added.
 *   `testScheduled`: `GET /__scheduled?cron=<cron>` runs the workplace's cron (scheduled()) and answers once it is done
 * @returns {Promise<{ url: string, port: number, state: string, pid: number, readyMs: number, stop: () => Promise<void>, output: () => string }>}
 */
export async function startDev(opts = {}) {
  if (!existsSync(join(root, 'dist/site'))) throw new Error('dist/site is missing: run `npm run build` first');
  const port = opts.port ?? (await freePort());
  const state = opts.persistTo ?? mkdtempSync(join(opts.stateIn ?? tmpdir(), 'attune-dev-'));
  // Run snapshots of the Workers, bundled here: `wrangler dev` reloads on every source change, and others
  // editing packages/edge while a test or the benchmark runs would restart it mid-request. The bundles sit
  // apart from the state directory, which wrangler would otherwise watch (and reload on every write).
  const bundleDir = mkdtempSync(join(tmpdir(), 'attune-bundle-'));
  /** @param {string} entry @param {string} out @param {boolean} runsCron */
  const snapshot = async (entry, out, runsCron) => {
    const from = join(root, entry);
    await build({
      ...(opts.testScheduled ? { stdin: { contents: testScheduledEntry(from, runsCron), resolveDir: root, sourcefile: 'test-scheduled.js', loader: 'js' } } : { entryPoints: [from] }),
      // ATTUNE_DEV_MINIFY=1: the Workers minified as deploy has them, to run any suite against that code; readable
      // code otherwise, for the stack traces.
      ...workerBundleOptions(process.env.ATTUNE_DEV_MINIFY === '1'),
      external: ['cloudflare:*', 'node:*'],
      // The build's seed (dist/seed/*.json.gz): data modules for wrangler, bytes in the snapshot here.
      loader: { '.gz': 'binary' },
      outfile: join(bundleDir, out, 'worker.js'),
    });
    return join(bundleDir, out, 'worker.js');
  };
  const visitorMain = await snapshot(opts.entry ?? 'demo-site/backend/worker.ts', 'visitor', !!opts.oneWorker);
  const workplaceMain = opts.oneWorker ? '' : await snapshot('packages/edge/src/workplace.ts', 'workplace', true);
  // The assets too: wrangler dev restarts the Worker whenever the assets directory changes, so a build run
  // meanwhile (by anyone on this machine) would cut its requests off mid-flight ("worker restarted").
  const assets = join(bundleDir, 'site');
  cpSync(join(root, 'dist/site'), assets, { recursive: true });
  const configs = writeLocalConfigs({ dir: join(bundleDir, 'config'), visitorMain, workplaceMain, assets, vars: opts.vars, bundled: true });
  if (opts.oneWorker) oneWorkerConfig(configs);
  const args = ['wrangler', 'dev', '-c', configs.visitor, ...(opts.oneWorker ? [] : ['-c', configs.workplace])];
  args.push('--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--show-interactive-dev-session=false', '--log-level', 'warn');
  // The V8 inspector of the Workers' isolates (the soak reads the visitor's heap through it).
  if (opts.inspectorPort) args.push('--inspector-port', String(opts.inspectorPort));
  const spawnedAt = performance.now();
  const child = spawn('npx', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' } });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      // The whole process group: npx → wrangler → workerd.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => {
        const t = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
          r(undefined);
        }, 5000);
        child.once('exit', () => (clearTimeout(t), r(undefined)));
      });
    }
    if (!opts.persistTo) rmSync(state, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/v1/ready`);
      await res.arrayBuffer();
      break; // any answer from the Worker means it is up
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start in 90 s:\n${log}`);
    }
    // Every 50 ms: the isolate bench reads readyMs, which a coarser poll would round up.
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyMs = performance.now() - spawnedAt;
  // pid: the process group of npx → wrangler → workerd (the bench reads their CPU time); readyMs: from the spawn to
  // the Worker's first answer (the isolate bench compares it between builds)
  return { url, port, state, pid: child.pid, readyMs, stop, output: () => log };
}
