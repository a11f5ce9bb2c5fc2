// attune config pull|push against the real local stack (`wrangler dev`): the file round-trips through D1 versions and
// KV, the edge serves the pushed config, and a push after someone else published is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { main } from './main.js';
import { validateFile } from './validate-file.js';

let dev: { url: string; stop: () => Promise<void>; output: () => string };
beforeAll(async () => {
  dev = await startDev();
}, 120_000);
afterAll(() => dev?.stop());

type Config = { slots: { id: string; default: { title?: string } }[] };
const file = join(mkdtempSync(join(tmpdir(), 'attune-config-e2e-')), 'attune.config.json');
async function attune(...argv: string[]) {
  let text = '';
  const code = await main(argv, (s) => (text += `${s}\n`), (s) => (text += `${s}\n`));
  return { code, text };
}
const heroTitle = async () => {
  const res = await fetch(`${dev.url}/v1/decide`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ writeKey: 'demo', slots: ['hero'] }) });
  return ((await res.json()) as { slots: { hero: { content: { title: string } } } }).slots.hero.content.title;
};

describe('attune config against wrangler dev', () => {
  it('pull, edit, push: published and served; a push after another publish is refused', async () => {
    const pulled = await attune('config', 'pull', '--to', dev.url, '--out', file);
    expect(pulled.code, pulled.text).toBe(0);
    const base = Number(readFileSync(`${file}.version`, 'utf8'));
    expect(base).toBeGreaterThanOrEqual(1);

    const config = JSON.parse(readFileSync(file, 'utf8')) as Config;
    config.slots[0]!.default.title = 'Pushed from the repository';
    writeFileSync(file, JSON.stringify(config, null, 2));
    const pushed = await attune('config', 'push', '--to', dev.url, file, '--comment', 'from git');
    expect(pushed.code, pushed.text).toBe(0);
    expect(Number(readFileSync(`${file}.version`, 'utf8'))).toBe(base + 1);
    expect(await heroTitle()).toBe('Pushed from the repository');
    const live = (await (await fetch(`${dev.url}/v1/config`, { headers: { authorization: 'Bearer dev-admin' } })).json()) as { version: number; comment: string };
    expect(live).toMatchObject({ version: base + 1, comment: 'from git' });

    // Someone publishes in the studio meanwhile: the next push from the file is refused and changes nothing.
    config.slots[0]!.default.title = 'From the studio';
    const studio = await fetch(`${dev.url}/v1/config`, { method: 'PUT', headers: { authorization: 'Bearer dev-admin', 'if-match': `"${base + 1}"` }, body: JSON.stringify(config) });
    expect(studio.status).toBe(200);
    config.slots[0]!.default.title = 'Stale edit';
    writeFileSync(file, JSON.stringify(config, null, 2));
    const refused = await attune('config', 'push', '--to', dev.url, file);
    expect(refused.code).toBe(1);
    expect(refused.text).toMatch(new RegExp(`version ${base + 2} was published by owner at .* since your version ${base + 1}`));
    expect(await heroTitle()).toBe('From the studio');
  });

  it('POST /v1/config/validate answers what attune validate --dev finds in the same file, paths and messages', async () => {
    const config = JSON.parse(readFileSync(new URL('../../../../demo-site/attune.config.json', import.meta.url), 'utf8')) as Config & Record<string, unknown>;
    const broken = structuredClone(config);
    broken.segmentz = [];
    (broken.slots[0]!.default as Record<string, unknown>).title = 42;
    for (const text of [JSON.stringify(broken, null, 2), '{\n  "slots": [,]\n}', '{"slots": 1', JSON.stringify(config)]) {
      writeFileSync(file, text);
      const local = await validateFile(file, { allowLocalWebhooks: true });
      const res = await fetch(`${dev.url}/v1/config/validate`, { method: 'POST', headers: { authorization: 'Bearer dev-admin' }, body: text });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: local.ok, errors: local.ok ? [] : local.errors, warnings: local.warnings });
    }
  });
});
