// Proxy mode: the Worker in front of an existing site (ORIGIN) fetches its pages and personalizes them
// on the way through; everything else passes untouched.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { createApp } from '../../src/index.js';

const SITE = 'https://shop.example';
const seen: Request[] = [];
const origin: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  seen.push(req);
  const path = new URL(req.url).pathname;
  if (path === '/') return new Response('<!doctype html><html><head><title>Shop</title></head><body><attune-slot name="hero"><h1>Their own hero</h1></attune-slot></body></html>', { headers: { 'content-type': 'text/html; charset=utf-8', etag: '"abc"' } });
  if (path === '/style.css') return new Response('body{color:red}', { headers: { 'content-type': 'text/css', 'cache-control': 'public, max-age=3600' } });
  if (path === '/cart' && req.method === 'POST') return new Response(`got ${await req.text()}`, { status: 201 });
  return new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } });
};
const { app } = createApp(config, undefined, { fetchOrigin: origin });
const visit = (path: string, init: RequestInit = {}) => app.fetch(new Request(`https://edge.example${path}`, init), { ...env, ORIGIN: SITE });

describe('proxy mode', () => {
  it("fetches the site's page from its origin and fills its slots", async () => {
    seen.length = 0;
    const res = await visit('/?utm_source=newsletter', { headers: { host: 'edge.example', 'user-agent': 'Mozilla/5.0 Chrome/120' } });
    const html = await res.text();
    expect(seen[0]!.url).toBe(`${SITE}/?utm_source=newsletter`);
    expect(seen[0]!.headers.get('host')).toBeNull();
    expect(html).toContain('<title>Shop</title>');
    expect(html).toMatch(/<attune-slot name="hero" data-attune-filled[^>]*>.*Skin care that listens/s);
    expect(html).not.toContain('Their own hero');
    expect(res.headers.get('etag')).toBeNull(); // the body is not the origin's any more
  });

  it('passes everything that is not an HTML page through untouched', async () => {
    const css = await visit('/style.css');
    expect(await css.text()).toBe('body{color:red}');
    expect(css.headers.get('cache-control')).toBe('public, max-age=3600');
    const post = await visit('/cart', { method: 'POST', body: 'sku=1' });
    expect(post.status).toBe(201);
    expect(await post.text()).toBe('got sku=1');
    const missing = await visit('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<h1>Not found</h1>');
  });
});
