// The README and docs a newcomer reads stay true: the config reference is generated from the schema the
// Worker validates with, the figures are the last benchmark's, and every file the README links to exists.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs scripts
import { OUT, SCHEMA, render } from '../../../../scripts/config-reference.mjs';
// @ts-expect-error: plain .mjs scripts
import { README, RESULTS, withFigures } from '../../../../scripts/readme-figures.mjs';
// @ts-expect-error: a plain .mjs helper
import { root } from '../../scripts/dev-server.mjs';

describe('docs', () => {
  it('docs/config-reference.md is generated from the current schema (run `node scripts/config-reference.mjs`)', () => {
    const text = render(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    // Every top-level key of the config has its section, every rule subject its row.
    for (const key of ['sites', 'segments', 'slots', 'experiments', 'holdout', 'quizzes', 'recommendations']) expect(text).toContain(`## \`${key}\``);
    for (const subject of ['trait', 'answer', 'hoursSince', 'commerce', 'affinity', 'context']) expect(text).toMatch(new RegExp(`^\\| \`${subject}\` \\|`, 'm'));
    expect(readFileSync(OUT, 'utf8')).toBe(text);
  });

  it('the README figures are the tables of bench/results.json (`npm run bench` rewrites them)', () => {
    const results = JSON.parse(readFileSync(RESULTS, 'utf8'));
    expect(results.rows.length).toBeGreaterThan(0);
    const readme = readFileSync(README, 'utf8');
    expect(withFigures(readme, results)).toBe(readme);
  });

  it('the script tag in the README is the one every demo page carries', async () => {
    // @ts-expect-error: a plain .mjs module of the demo store
    const { LOADER } = await import('../../../../demo-site/scripts/layout.mjs');
    const stub = (text: string) => /<script>(!function\(w,n\)[\s\S]*?)<\/script>/.exec(text)?.[1];
    expect(stub(readFileSync(README, 'utf8'))).toBeTruthy();
    expect(stub(readFileSync(README, 'utf8'))).toBe(stub(LOADER));
  });

  it('every file the README links to exists', () => {
    const readme = readFileSync(README, 'utf8');
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)].map((m) => m[1]!.split('#')[0]!);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((l) => !existsSync(`${root}${l}`))).toEqual([]);
  });
});

describe('ARCHITECTURE.md', () => {
  it('"How to add…" names only files and folders that exist', () => {
    const text = readFileSync(`${root}ARCHITECTURE.md`, 'utf8');
    const from = text.indexOf('## How to add');
    const to = text.indexOf('\n## ', from + 1);
    const section = text.slice(from, to === -1 ? undefined : to);
    const paths = [...section.matchAll(/`((?:packages|docs|scripts|demo-site)\/[\w./-]+)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((p) => !existsSync(`${root}${p}`))).toEqual([]);
  });
});

describe('docs/security.md', () => {
  // Each rule names the tests that hold it (`file` › "test name"): those files and tests must exist, so the page
  // cannot drift from the suite. `%s` in a name stands for a table test's parameter, `${…}` in a title for a value.
  it('points only at test files and test names that exist', () => {
    const text = readFileSync(`${root}docs/security.md`, 'utf8');
    const files = execSync('git ls-files "*.test.ts" "*.spec.ts" "*.test.tsx"', { cwd: root, encoding: 'utf8' }).trim().split('\n');
    // Every string literal of the file: a title may sit in it(), describe() or it.each(…)().
    const titles = (src: string) => [...src.matchAll(/(['"`])((?:\\.|(?!\1)[^\n])*)\1/g)].map((m) => m[2]!.replace(/\\(.)/g, '$1'));
    const matches = (title: string, name: string) => {
      const pattern = (s: string) => s.split(/(%[sjdi]|\$\{[^}]*\})/).map((p, i) => (i % 2 ? '.*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
      return new RegExp(`^${pattern(title)}$`).test(name) || new RegExp(`^${pattern(name)}$`).test(title);
    };
    let file: string | undefined;
    let checked = 0;
    const missing: string[] = [];
    for (const m of text.matchAll(/`([\w./-]+\.(?:test|spec)\.tsx?)`|› "(.+?)"(?=\s*$|,\s*(?:›|`|$)|;|\s+›|\s+\()/gm)) {
      if (m[1]) {
        file = m[1].includes('/') ? m[1] : files.find((f) => f.endsWith(`/${m[1]}`));
        if (!file || !existsSync(`${root}${file}`)) missing.push(`no such test file: ${m[1]}`);
        continue;
      }
      checked++;
      const all = file ? titles(readFileSync(`${root}${file}`, 'utf8')) : [];
      if (!all.some((t) => matches(t, m[2]!))) missing.push(`${file}: no test "${m[2]}"`);
    }
    expect(checked).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });
});
