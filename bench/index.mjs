// `npm run bench`: runs every bench/*.bench.mjs, prints one table, writes bench/results.json.
// Each module exports `name` and `run()` → rows of { bench, scenario, ...figures }. Later issues add modules.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// A partial run (`npm run bench -- rewrite`) replaces its own benches' rows and keeps the others', each
// with when and how it was measured: the README's tables (scripts/readme-figures.mjs) are rendered from it.
const file = `${dir}results.json`;
const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { rows: [], measured: {} };
const ran = new Set(rows.map((r) => r.bench));
const now = new Date().toISOString();
const command = `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}`;
const results = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  measured: { ...Object.fromEntries(Object.entries(previous.measured ?? {}).filter(([b]) => !ran.has(b))), ...Object.fromEntries([...ran].map((b) => [b, { at: now, command }])) },
  rows: [...(previous.rows ?? []).filter((r) => !ran.has(r.bench)), ...rows],
};
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.error('bench: wrote bench/results.json');
const { README, withFigures } = await import('../scripts/readme-figures.mjs');
writeFileSync(README, withFigures(readFileSync(README, 'utf8'), results));
console.error('bench: updated the README figures');
