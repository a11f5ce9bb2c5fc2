// The build writes the seed the Worker carries (packages/edge/src/seed.ts) outside the static assets: the config
// names webhook URLs and experiment plans, and only the admin API shows it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper
import { root } from '../../scripts/dev-server.mjs';

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

describe('the seed the build writes', () => {
  it('is the checked demo config and catalog, gzipped, in dist/seed', () => {
    for (const [file, source] of [['attune.config.json.gz', 'demo-site/attune.config.json'], ['catalog.json.gz', 'demo-site/catalog/products.json']]) {
      const path = join(root, 'dist/seed', file!);
      expect(existsSync(path), `${path} is missing: npm test builds it first`).toBe(true);
      expect(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'))).toEqual(JSON.parse(readFileSync(join(root, source!), 'utf8')));
    }
  });

  it('is not among the static assets: no file there names the config’s webhook URLs', () => {
    const config = JSON.parse(readFileSync(join(root, 'demo-site/attune.config.json'), 'utf8')) as { triggers?: { webhook?: { url: string } }[] };
    const urls = [...new Set((config.triggers ?? []).flatMap((t) => (t.webhook ? [t.webhook.url] : [])))];
    expect(urls.length).toBeGreaterThan(0);
    const site = files(join(root, 'dist/site'));
    expect(site.length).toBeGreaterThan(50);
    expect(site.filter((f) => /\.gz$|seed/.test(f))).toEqual([]);
    expect(site.filter((f) => urls.some((u) => readFileSync(f).includes(u)))).toEqual([]);
  });
});
