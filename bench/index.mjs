// `npm run bench`: runs every bench/*.bench.mjs, prints one table, writes bench/results.json.
// Each module exports `name` and `run()` → rows of { bench, scenario, ...figures }. Later issues add modules.
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.mjs') && (!only.length || only.some((o) => f.includes(o)))).sort();
const rows = [];
for (const f of files) {
  const mod = await import(`./${f}`);
  console.error(`bench: ${f}`);
  rows.push(...(await mod.run()));
}

const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? ''));
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
const line = (vals) => vals.map((v, i) => v.padEnd(width[i])).join(' | ');
console.log(line(cols));
console.log(width.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));

writeFileSync(
  `${dir}results.json`,
  `${JSON.stringify({ generatedAt: new Date().toISOString(), command: `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}`, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, rows }, null, 2)}\n`,
);
console.error('bench: wrote bench/results.json');
