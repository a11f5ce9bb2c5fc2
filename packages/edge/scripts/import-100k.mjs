#!/usr/bin/env node
// Measures `attune import` at scale: generates 100,000-row customers and orders files (gen-import-csv.mjs),
// starts `wrangler dev` (the demo site's own rate limit, 600 requests a minute, untouched) and imports each
// with `/usr/bin/time -v`, printing wall time, rows/s and peak RSS of the importer, and its summary.
//   flock /tmp/attune-heavy.lock node packages/edge/scripts/import-100k.mjs [rows=100000] [customers,orders]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDev } from './dev-server.mjs';

const rows = Number(process.argv[2] ?? 100_000);
const kinds = (process.argv[3] ?? 'customers,orders').split(',');
const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'attune-import-100k-'));
spawnSync('node', [join(here, 'gen-import-csv.mjs'), dir, String(rows)], { stdio: 'inherit' });
const dev = await startDev();
try {
  for (const kind of kinds) {
    const args = ['-v', 'node', join(here, '../bin/attune.mjs'), 'import', kind, join(dir, `${kind}.csv`), '--to', dev.url, '--write-key', 'demo', '--country', 'DE'];
    const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const out = `${r.stdout}${r.stderr}`;
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(out);
    const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
    const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(out)?.[1]) / 1024;
    console.log(out.split('\n').filter((l) => !/^\s+line \d+/.test(l) && !/^\t/.test(l) && !l.startsWith('reading') && !l.startsWith('sending')).join('\n'));
    console.log(`${kind}: ${rows} rows in ${secs.toFixed(1)} s = ${Math.round(rows / secs)} rows/s, peak RSS ${rss.toFixed(0)} MB (exit ${r.status})\n`);
  }
} finally {
  // Why the local runtime restarted, if it did (the importer only sees the 503 and retries).
  const errors = dev.output().split('\n').filter((l) => /ERROR|SQLITE|EMFILE|restart/i.test(l));
  const kinds = new Set(errors.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 160)));
  if (kinds.size) console.log(`wrangler dev reported (${errors.length} lines, distinct shown):\n${[...kinds].slice(0, 10).map((l) => `  ${l}`).join('\n')}`);
  await dev.stop();
}
