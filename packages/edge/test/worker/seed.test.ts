// The seed a deploy brings (src/seed.ts): the build puts the config and the catalog among the static assets, the
// Worker reads them through ASSETS on an isolate's first request, and no visitor can read them.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import catalog from '../../../../demo-site/catalog/products.json';
import { compileConfig } from '../../src/config/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { createWorker } from '../../src/index.js';
import { isSeedPath, loadSeed, SEED_FILES } from '../../src/seed.js';
import { ORIGIN } from './helpers.js';

const assetsOf = (files: Record<string, Response | (() => Response)>) => {
  const seen: string[] = [];
  const fetcher = {
    fetch: async (req: Request) => {
      const path = new URL(req.url).pathname;
      seen.push(path);
      const f = files[path];
      return typeof f === 'function' ? f() : (f?.clone() ?? new Response('not found', { status: 404 }));
    },
  } as unknown as Fetcher;
  return { fetcher, seen };
};

describe('the seed', () => {
  it('is what the product Worker serves: the build copied the demo config and catalog among the static assets', async () => {
    const r = validateConfig(config, { allowLocalWebhooks: true });
    if (!r.ok) throw new Error('the demo config is invalid');
    const res = await SELF.fetch(`${ORIGIN}/v1/config`, { headers: { authorization: 'Bearer dev-admin' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: string }).version).toBe(compileConfig(r.config).version);
    const products = await SELF.fetch(`${ORIGIN}/v1/catalog?site=demo`);
    expect(products.status).toBe(200);
    expect(((await products.json()) as { products: unknown[] }).products).toHaveLength(catalog.products.length);
  });

  it('is never served, however its path is written, though ASSETS holds it', async () => {
    const direct = await env.ASSETS.fetch(`https://assets.invalid${SEED_FILES.config}`);
    expect(direct.status, 'the build puts the seed among the static assets (npm run build)').toBe(200);
    await direct.arrayBuffer();
    for (const path of [
      SEED_FILES.config,
      SEED_FILES.catalog,
      '/_attune/seed/',
      '/%5Fattune/seed/attune.config.json',
      '/%5fattune%2Fseed%2Fattune.config.json',
      '/_ATTUNE/seed/attune.config.json',
      '//_attune/seed/attune.config.json',
      '/shop/%2e%2e/_attune/seed/attune.config.json',
      '/shop/..%2F_attune/seed/attune.config.json',
    ]) {
      const res = await SELF.fetch(`${ORIGIN}${path}`);
      const text = await res.text();
      expect(res.status, path).toBe(404);
      expect(text, path).not.toContain('hooks.example.com');
    }
  });

  it('paths: the seed directory in any spelling, and nothing else', () => {
    for (const p of ['/_attune/seed/attune.config.json', '/_attune/', '/_attune', '/%5Fattune/x', '/_Attune/x', '//_attune/x', '/a/../_attune/x', '/a/..%2F_attune/x', '\\_attune\\x', '/./_attune/x'])
      expect(isSeedPath(p), p).toBe(true);
    for (const p of ['/', '/attune.js', '/shop/_attune/x', '/_attunex/y', '/admin/', '/%E0%A4%A']) expect(isSeedPath(p), p).toBe(false);
  });

  it('reads gzip, as the build writes it, and plain JSON, as a runtime that decoded it hands it over', async () => {
    const gzip = (v: unknown) => new Response(new Blob([JSON.stringify(v)]).stream().pipeThrough(new CompressionStream('gzip')));
    const zipped = await gzip(config).arrayBuffer();
    expect(new Uint8Array(zipped).slice(0, 2)).toEqual(new Uint8Array([0x1f, 0x8b]));
    const seed = await loadSeed(assetsOf({ [SEED_FILES.config]: new Response(zipped), [SEED_FILES.catalog]: Response.json(catalog) }).fetcher);
    expect(seed).toEqual({ config, catalog });
  });

  it('a build without a seed config: undefined and a log line naming the file; a broken one: an error naming it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const none = await loadSeed(assetsOf({ [SEED_FILES.catalog]: Response.json({ products: [] }) }).fetcher);
      expect(none).toEqual({ config: undefined, catalog: { products: [] } });
      expect(error.mock.calls.flat().join(' ')).toContain(SEED_FILES.config);
    } finally {
      error.mockRestore();
    }
    await expect(loadSeed(assetsOf({ [SEED_FILES.config]: new Response('{"sites": ') }).fetcher)).rejects.toThrow(`the seed ${SEED_FILES.config} is not JSON`);
    await expect(loadSeed(assetsOf({ [SEED_FILES.config]: new Response(new Uint8Array([0x1f, 0x8b, 1, 2, 3])) }).fetcher)).rejects.toThrow(`the seed ${SEED_FILES.config} is not JSON`);
    await expect(loadSeed(assetsOf({ [SEED_FILES.config]: new Response('', { status: 500 }) }).fetcher)).rejects.toThrow(`the seed ${SEED_FILES.config} could not be read from the static assets (500)`);
  });

  it('is read once per isolate, on its first request; a failed read is tried again by the next request', async () => {
    let failing = true;
    const assets = assetsOf({
      [SEED_FILES.config]: () => (failing ? new Response('', { status: 503 }) : Response.json(config)),
      [SEED_FILES.catalog]: () => Response.json(catalog),
    });
    const worker = createWorker();
    const ask = async () => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${ORIGIN}/v1/quizzes/skin`), { ...env, ASSETS: assets.fetcher } as never, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    await expect(ask()).rejects.toThrow('(503)');
    failing = false;
    expect((await ask()).status).toBe(200);
    const reads = assets.seen.length;
    expect((await ask()).status).toBe(200);
    expect(assets.seen.filter((p) => p.startsWith('/_attune/'))).toHaveLength(reads);
  });
});
