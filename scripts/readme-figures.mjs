// Renders the README's benchmark tables from bench/results.json (written by `npm run bench`), between the
// markers below, so the README shows what was measured and nothing else.
//   node scripts/readme-figures.mjs          rewrite the README section
//   node scripts/readme-figures.mjs --check  exit 1 when the README does not match bench/results.json
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS = `${root}bench/results.json`;
export const README = `${root}README.md`;
const START = '<!-- bench:start (generated from bench/results.json by scripts/readme-figures.mjs) -->';
const END = '<!-- bench:end -->';

const cell = (v) =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? v.toLocaleString('en-US')
      : Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en-US')
        : v.toFixed(2)
    : typeof v === 'boolean'
      ? v
        ? 'yes'
        : 'no'
      : String(v ?? '').replace(/\|/g, '\\|');

/** One table per benchmark: its rows, the columns any of them has. */
export function renderFigures(results) {
  const benches = [...new Set(results.rows.map((r) => r.bench))];
  const out = [`Machine: ${results.machine.cpus} cores (${results.machine.cpu}), Node ${results.machine.node}, shared with other work.`];
  for (const bench of benches) {
    const rows = results.rows.filter((r) => r.bench === bench);
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'bench');
    const m = results.measured?.[bench];
    out.push('', `**${bench}**${m ? ` — \`${m.command}\`, ${m.at.slice(0, 10)}` : ''}`, '', `| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`);
    for (const r of rows) out.push(`| ${cols.map((c) => cell(r[c])).join(' | ')} |`);
  }
  return out.join('\n');
}

export function withFigures(readme, results) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, a + START.length)}\n${renderFigures(results)}\n${readme.slice(b)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const readme = readFileSync(README, 'utf8');
  const next = withFigures(readme, results);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md figures differ from bench/results.json: run `node scripts/readme-figures.mjs`');
      process.exit(1);
    }
  } else {
    writeFileSync(README, next);
    console.log('README.md: figures updated from bench/results.json');
  }
}
