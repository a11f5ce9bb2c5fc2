// `npm start`: build the bundles and the store, run the Worker on the local stack (KV, Durable Objects and
// D1 under .wrangler/, no Cloudflare account), load the demo catalog into it, and print where to look.
// Running it again is safe: the local data is kept, the config and catalog are loaded again (idempotent).
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { writeLocalConfigs } from '../packages/edge/scripts/dev-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PORT = Number(process.env.PORT ?? 8787);
const url = `http://localhost:${PORT}`;
// Accepted only while ATTUNE_ENV=development, which only local runs set (wrangler.toml says production).
const ADMIN_TOKEN = 'dev-admin';

const portTaken = () =>
  new Promise((resolve) => {
    const s = createConnection({ port: PORT, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

if (await portTaken()) {
  console.error(`Port ${PORT} is in use: is the store already running at ${url}/ ? Stop it, or run PORT=8788 npm start.`);
  process.exit(1);
}

await buildAll({ dev: true }); // the Worker below runs with ATTUNE_ENV=development
// Both Workers in one local runtime: the demo store's visitor Worker (the product's, plus the demo's stand-in for a
// shop backend, demo-site/backend/worker.ts) and the workplace Worker it hands the marketer's API to. wrangler
// bundles them and reloads on a change; their configs are the deploy's with ATTUNE_ENV=development
// (writeLocalConfigs), and the data stays in .wrangler/state as before.
const configs = writeLocalConfigs({ dir: `${root}.wrangler/local-config`, visitorMain: `${root}demo-site/backend/worker.ts`, workplaceMain: `${root}packages/edge/src/workplace.ts` });
const dev = spawn('npx', ['wrangler', 'dev', '-c', configs.visitor, '-c', configs.workplace, '--port', String(PORT), '--persist-to', `${root}.wrangler/state`], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
dev.stdout.pipe(process.stdout);
dev.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));

/** Waits for the Worker, then loads the catalog the config names through the same API a shop would use. */
async function whenReady() {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${url}/v1/ready`);
      await res.arrayBuffer();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

if (await whenReady()) {
  const { loadCli } = await import('../packages/edge/bin/attune.mjs');
  const { main } = await loadCli();
  const lines = [];
  const code = await main(['catalog', 'import', `${root}demo-site/catalog/products.json`, '--to', url, '--token', ADMIN_TOKEN], (s) => lines.push(s), (s) => lines.push(s));
  if (code !== 0) console.error(`The catalog did not load:\n${lines.join('\n')}`);
  console.log(`
  Attune demo store   ${url}/
  Dashboard           ${url}/admin/   (sign in with the local admin token)
  Admin API           ${url}/v1/profiles/<visitor id>   (Authorization: Bearer ${ADMIN_TOKEN})
  Local admin token   ${ADMIN_TOKEN}   (accepted by this local run only)
  Catalog             ${code === 0 ? lines.filter((l) => l.startsWith('✓')).map((l) => l.replace(/^✓ \S+: /, '')).join('; ') : 'not loaded (see above)'}
  Config              demo-site/attune.config.json (checked by the build; edit it and run npm start again)
`);
} else console.error(`The Worker did not answer at ${url} within 2 minutes; see wrangler's output above.`);
