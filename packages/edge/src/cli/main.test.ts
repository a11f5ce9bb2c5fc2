import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('refuses a webhook aimed at the metadata address, naming the path and why', async () => {
    const config = JSON.parse(readFileSync(new URL('../../../../demo-site/attune.config.json', import.meta.url), 'utf8'));
    config.triggers[0].webhook.url = 'http://169.254.169.254/';
    const p = file('metadata.json', JSON.stringify(config));
    for (const argv of [['validate', p], ['validate', '--dev', p]]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toMatch(/error\s+triggers\[0\]\.webhook\.url\n\s+169\.254\.169\.254 is the cloud metadata address .*\n\s+found:\s+"http:\/\/169\.254\.169\.254\/"\n\s+expected: an https URL on a public host/);
    }
  });

  it('takes a webhook to http://localhost only with --dev, as local development, and warns even then', async () => {
    const config = JSON.parse(readFileSync(new URL('../../../../demo-site/attune.config.json', import.meta.url), 'utf8'));
    config.triggers[0].webhook.url = 'http://localhost:8788/hooks/attune';
    const p = file('local.json', JSON.stringify(config));
    const strict = await run('validate', p);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/error\s+triggers\[0\]\.webhook\.url\n\s+localhost is a loopback name \(this machine\): accepted only in local development \(ATTUNE_ENV=development, or `attune validate --dev`\)/);
    const dev = await run('validate', '--dev', p);
    expect(dev.code).toBe(0);
    expect(dev.out).toMatch(/is valid[\s\S]*warning triggers\[0\]\.webhook\.url\n\s+reaches this machine: accepted in local development only, a deployed Worker refuses this config/);
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
