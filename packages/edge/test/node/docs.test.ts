// The README and docs a newcomer reads stay true: the config reference is generated from the schema the
// Worker validates with, the figures are the last benchmark's, and every file the README links to exists.
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
