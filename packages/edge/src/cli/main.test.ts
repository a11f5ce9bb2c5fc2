import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'attune-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

describe('attune validate', () => {
  it('exits 0 and summarizes a valid file', async () => {
    const r = await run('validate', 'demo-site/attune.config.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ demo-site\/attune.config.json is valid: .*version [0-9a-f]{16}/);
  });

  it('exits 1 and prints each error with its path, what was found and what was expected', async () => {
    const p = file('bad.json', JSON.stringify({ sites: { demo: { writeKey: 'demo' } }, experiments: [{ id: 'e', slot: 'hero', arms: [{ id: 'a', weight: 60 }, { id: 'b', weight: 60 }] }] }));
    const r = await run('validate', p);
    expect(r.code).toBe(1);
    expect(r.err).toContain('2 errors');
    expect(r.err).toMatch(/error\s+experiments\[0\]\.slot\n\s+unknown slot\n\s+found:\s+"hero"\n\s+expected: none defined/);
    expect(r.err).toMatch(/error\s+experiments\[0\]\.arms\n\s+the weights do not add up to 100\n\s+found:\s+"60 \+ 60 = 120"/);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const r = await run('validate', file('syntax.json', '{\n  "sites": {\n    "demo": { "writeKey": "demo", }\n  }\n}\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3, column \d+/);
    expect(r.err).toMatch(/not valid JSON/);
  });

  it('says when the file cannot be read, and when no file is given', async () => {
    expect((await run('validate', join(dir, 'missing.json'))).err).toMatch(/cannot read the file/);
    expect((await run('validate')).code).toBe(2);
  });

  it('refuses unknown commands with the usage', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"[\s\S]*validate <file>/);
  });
});
