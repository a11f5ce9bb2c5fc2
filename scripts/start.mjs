// `npm start`: build the bundles, then run the Worker on the local stack (KV, Durable Objects and D1
// under .wrangler/, no Cloudflare account) with the demo store at http://localhost:8787.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildAll();
console.log(`
  Attune demo store  http://localhost:8787/
  Dashboard          http://localhost:8787/admin   (local admin token: dev-admin)
`);
// Development mode locally: the admin token `dev-admin` works here (never in a deployment).
const dev = spawn('npx', ['wrangler', 'dev', '--port', '8787', '--var', 'ATTUNE_ENV:development'], { cwd: root, stdio: 'inherit' });
dev.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
