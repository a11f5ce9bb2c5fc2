// The seed a deploy brings (src/seed.ts): the config and the catalog the build writes as gzipped JSON, carried by the
// upload as data modules and decoded on an isolate's first request.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { compileConfig } from '../../src/config/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { seedJson } from '../../src/seed.js';
import { ORIGIN } from './helpers.js';

const gzip = async (v: unknown) => new Response(new Blob([JSON.stringify(v)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();

describe('the seed', () => {
  it('is what the product Worker serves: the build wrote the demo config and catalog', async () => {
    const r = validateConfig(config, { allowLocalWebhooks: true });
    if (!r.ok) throw new Error('the demo config is invalid');
    const res = await SELF.fetch(`${ORIGIN}/v1/config`, { headers: { authorization: 'Bearer dev-admin' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { hash: string }).hash).toBe(compileConfig(r.config).version);
    const products = await SELF.fetch(`${ORIGIN}/v1/catalog?site=demo`);
    expect(products.status).toBe(200);
    expect(((await products.json()) as { products: unknown[] }).products).toHaveLength(catalog.products.length);
  });

  it('is not among the static assets, so no visitor can ask for the config', async () => {
    for (const path of ['/_attune/seed/attune.config.json.gz', '/seed/attune.config.json.gz', '/attune.config.json.gz', '/attune.config.json']) {
      const res = await env.ASSETS.fetch(`https://assets.invalid${path}`);
      await res.arrayBuffer();
      expect(res.status, path).toBe(404);
    }
  });

  it('decodes gzip, as the build writes it, and plain JSON, whole or as a view', async () => {
    const zipped = await gzip(config);
    expect(new Uint8Array(zipped).slice(0, 2)).toEqual(new Uint8Array([0x1f, 0x8b]));
    expect(await seedJson(zipped, 'c')).toEqual(config);
    expect(await seedJson(new Uint8Array(zipped), 'c')).toEqual(config);
    const plain = new TextEncoder().encode(`  ${JSON.stringify(catalog)}`);
    expect(await seedJson(plain.subarray(2), 'k')).toEqual(catalog);
  });

  it('names the file when it is neither', async () => {
    await expect(seedJson(new TextEncoder().encode('{"sites": '), 'dist/seed/x.json.gz')).rejects.toThrow('the seed dist/seed/x.json.gz is not JSON, gzipped or not');
    await expect(seedJson(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'dist/seed/x.json.gz')).rejects.toThrow('the seed dist/seed/x.json.gz is not JSON, gzipped or not');
  });
});
