import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { catalogCommand } from './catalog-import.js';

const dir = mkdtempSync(join(tmpdir(), 'attune-catalog-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const HEADER = 'id,name,url,price,currency,categories,attributes.skinType';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}


describe('attune catalog import', () => {
  it('validates the demo feed', async () => {
    const r = await run('catalog', 'import', fileURLToPath(new URL('../../../../demo-site/catalog/products.json', import.meta.url)));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ .*products.json: 200 products in 8 categories/);
  });

  it('lists every problem of a CSV feed by row and field and exits 1', async () => {
    const p = file('bad.csv', `${HEADER}\nser-1,Serum,/p/1,24.5,EUR,serums,dry|normal\nser-2,Toner,/p/2,"12,5",EUR,toners,oily\nser-3,,/p/3,9,EUR,masks,dry\n`);
    const r = await run('catalog', 'import', p);
    expect(r.code).toBe(1);
    expect(r.err).toContain('2 problems; nothing was loaded');
    expect(r.err).toContain('row 3, price: "12,5" is not a number (use "." for decimals)');
    expect(r.err).toContain('row 4, name: is missing');
  });

  it('writes the normalized JSON with --out, and PUTs it to a running Worker with --to', async () => {
    const p = file('ok.csv', `${HEADER}\nser-1,Serum,/p/1,24.5,EUR,serums,dry|normal\n`);
    const target = join(dir, 'out.json');
    const sent: { url: string; init: RequestInit }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ success: true, site: 'demo', version: 'abc', products: 1 }));
    }) as unknown as typeof fetch;
    let out = '';
    const code = await catalogCommand(['import', p, '--out', target, '--to', 'http://localhost:8787/', '--token', 't0k'], (s) => (out += s), () => {}, fake);
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(target, 'utf8'));
    expect(written.products[0]).toMatchObject({ id: 'ser-1', price: 24.5, attributes: { skinType: ['dry', 'normal'] }, inStock: true });
    expect(sent[0]!.url).toBe('http://localhost:8787/v1/catalog');
    expect(sent[0]!.init).toMatchObject({ method: 'PUT', headers: { authorization: 'Bearer t0k' } });
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual(written);
    expect(out).toContain('loaded into http://localhost:8787/ for site "demo"');
  });
});
