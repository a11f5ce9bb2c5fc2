// Starts `wrangler dev` (the real local stack: workerd, KV, Durable Objects, D1) on a free port with its
// own state directory, for tests and the benchmark that drive the Worker from Node.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * static assets (DataCloneError: ScheduledController cannot be serialized to the user Worker).
 * @param {string} entry
 */
function testScheduledEntry(entry) {
  return `import worker from ${JSON.stringify(entry)};
export * from ${JSON.stringify(entry)};
export default {
  ...worker,
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname !== '/__scheduled') return worker.fetch(request, env, ctx);
    const cron = url.searchParams.get('cron') ?? '';
    await worker.scheduled({ cron, scheduledTime: Date.now(), type: 'scheduled', noRetry() {} }, env, ctx);
    return new Response('Ran scheduled event');
  },
};
`;
}

/**
 * @param {{ vars?: Record<string, string>, port?: number, quiet?: boolean, persistTo?: string, stateIn?: string, inspectorPort?: number, entry?: string, testScheduled?: boolean }} [opts] `persistTo`: an
 *   existing state directory (e.g. a seeded D1), kept after stop; otherwise a fresh one (in `stateIn`, else the
 *   OS temp directory), removed after. `entry`: another Worker module to run instead of the demo store's
 *   (demo-site/backend/worker.ts; the ingest bench's wraps src/index.ts to count D1 and the Queue), as a path from
 *   the repository root.
 *   `testScheduled`: `GET /__scheduled?cron=<cron>` runs the Worker's cron (scheduled()) and answers once it is done
 * @returns {Promise<{ url: string, port: number, state: string, pid: number, readyMs: number, stop: () => Promise<void>, output: () => string }>}
 */
export async function startDev(opts = {}) {
  if (!existsSync(join(root, 'dist/site'))) throw new Error('dist/site is missing: run `npm run build` first');
  const port = opts.port ?? (await freePort());
  const state = opts.persistTo ?? mkdtempSync(join(opts.stateIn ?? tmpdir(), 'attune-dev-'));
  // Run a snapshot of the Worker, bundled here: `wrangler dev` reloads on every source change, and others
  // editing packages/edge while a test or the benchmark runs would restart it mid-request. The bundle sits
  // apart from the state directory, which wrangler would otherwise watch (and reload on every write).
  const bundleDir = mkdtempSync(join(tmpdir(), 'attune-bundle-'));
  const script = join(bundleDir, 'worker.js');
  // The demo store's Worker by default, as `npm start` runs it: the product's with the demo's sign-in mounted.
  const entry = join(root, opts.entry ?? 'demo-site/backend/worker.ts');
  await build({
    ...(opts.testScheduled ? { stdin: { contents: testScheduledEntry(entry), resolveDir: root, sourcefile: 'test-scheduled.js', loader: 'js' } } : { entryPoints: [entry] }),
    // ATTUNE_DEV_MINIFY=1: the Worker minified as deploy has it, to run any suite against that code; readable code
    // otherwise, for the stack traces.
    ...workerBundleOptions(process.env.ATTUNE_DEV_MINIFY === '1'),
    external: ['cloudflare:*', 'node:*'],
    // The build's seed (dist/seed/*.json.gz): data modules for wrangler, bytes in the snapshot here.
    loader: { '.gz': 'binary' },
    outfile: script,
  });
  // The assets too: wrangler dev restarts the Worker whenever the assets directory changes, so a build run
  // meanwhile (by anyone on this machine) would cut its requests off mid-flight ("worker restarted").
  const assets = join(bundleDir, 'site');
  cpSync(join(root, 'dist/site'), assets, { recursive: true });
  const compat = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(root, 'wrangler.toml'), 'utf8'))?.[1] ?? '2026-04-01';
  const args = ['wrangler', 'dev', script, '--no-bundle', '--config', join(root, 'wrangler.toml'), '--compatibility-date', compat, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--show-interactive-dev-session=false', '--assets', assets, '--log-level', 'warn'];
  // The V8 inspector of the Worker's isolate (the soak reads its heap through it).
  if (opts.inspectorPort) args.push('--inspector-port', String(opts.inspectorPort));
  // A local stack: the development admin token (`dev-admin`) works here and nowhere else.
  for (const [k, v] of Object.entries({ ATTUNE_ENV: 'development', ...opts.vars })) args.push('--var', `${k}:${v}`);
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
