// Proxy mode: the Worker in front of an existing site (ORIGIN) fetches its pages and personalizes them
// on the way through; everything else passes untouched. No request can take it to another host, the origin
// sees only the headers meant for it, and a page is never cached more loosely than the origin said.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { signedCookie } from '../signed-cookie.js';
import { createApp } from '../../src/index.js';

const SITE = 'https://shop.example';
const seen: Request[] = [];
const page = (body: string, headers: Record<string, string> = {}) =>
  new Response(`<!doctype html><html><head><title>Shop</title></head><body>${body}</body></html>`, { headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
/** Pages of the shop whose caching headers the tests look at. */
const CACHING: Record<string, Record<string, string>> = {
  '/account': { 'cache-control': 'private, no-store', 'set-cookie': 'session=s3cret; Path=/; HttpOnly' },
  '/no-header': {},
  '/no-cache': { 'cache-control': 'no-cache' },
  '/catalog': { 'cache-control': 'public, max-age=600, s-maxage=30, must-revalidate', vary: 'Accept-Encoding', 'cdn-cache-control': 'max-age=86400', 'surrogate-control': 'max-age=86400' },
  '/welcome': { 'cache-control': 'public, max-age=600', 'set-cookie': 'first_visit=1; Path=/' },
  '/any-vary': { 'cache-control': 'public, max-age=600', vary: '*' },
};
const origin: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  seen.push(req);
  const url = new URL(req.url);
  // Anything not on the shop's host is the attacker's: its script must never be served on the shop's origin.
  if (url.origin !== SITE) return page('<script>steal(document.cookie)</script>');
  const path = url.pathname;
  if (path === '/') return page('<attune-slot name="hero"><h1>Their own hero</h1></attune-slot>', { etag: '"abc"' });
  if (path in CACHING) return page('<p>shop page</p>', CACHING[path]);
  if (path === '/style.css') return new Response('body{color:red}', { headers: { 'content-type': 'text/css', 'cache-control': 'public, max-age=3600' } });
  if (path === '/cart' && req.method === 'POST') return new Response(`got ${await req.text()}`, { status: 201 });
  return new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } });
};
const { app } = createApp(config, undefined, { fetchOrigin: origin });
const send = (url: string, init: RequestInit = {}) => app.fetch(new Request(url, init), { ...env, ORIGIN: SITE });
const visit = (path: string, init: RequestInit = {}) => send(`https://edge.example${path}`, init);
const consentCookie = (personalization: boolean) => signedCookie('proxy-visitor', { analytics: true, personalization });

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
    const post = await visit('/cart', { method: 'POST', body: 'sku=1', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(post.status).toBe(201);
    expect(await post.text()).toBe('got sku=1');
    expect(seen.at(-1)!.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const missing = await visit('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<h1>Not found</h1>');
  });
});

describe('proxy mode never leaves the origin', () => {
  // The request URL as the Worker gets it: the path is whatever the request line carried.
  it.each([
    ['a protocol-relative path', 'https://edge.example//attacker.example/x'],
    ['a backslash path', 'https://edge.example/\\attacker.example/x'],
    ['dot segments before a double slash', 'https://edge.example/..//attacker.example/x'],
    ['a tab and a newline inside the path', 'https://edge.example/\t/\n/attacker.example/x'],
    ['credentials and a port in the path', 'https://edge.example//user:pw@attacker.example:8443/x'],
    ['encoded slashes', 'https://edge.example/%2F%2Fattacker.example/x'],
    ['an encoded backslash', 'https://edge.example/%5Cattacker.example/x'],
    ['an @ in the path', 'https://edge.example/@attacker.example/x'],
    ['another host in the request URL (absolute-form request line)', 'http://attacker.example/x'],
  ])("for %s: fetches only the shop's host, with the shop's cookie going nowhere else", async (_, url) => {
    seen.length = 0;
    const res = await send(url, { headers: { cookie: 'session=s3cret' } });
    const body = await res.text();
    expect(seen.length).toBe(1);
    expect(new URL(seen[0]!.url).origin).toBe(SITE);
    expect(body).not.toContain('steal(document.cookie)');
  });
});

describe('proxy mode forwards only what the origin should see', () => {
  it('drops platform, hop-by-hop, spoofable and Attune headers, and sets X-Forwarded-* itself', async () => {
    seen.length = 0;
    await visit('/', {
      headers: {
        accept: 'text/html',
        'accept-language': 'de',
        'user-agent': 'Mozilla/5.0 Chrome/120',
        cookie: `session=s3cret; ${await consentCookie(false)}; attune_preview=signed.token; theme=dark`,
        'if-none-match': '"abc"',
        'cf-connecting-ip': '203.0.113.7',
        'cf-ray': 'abc-FRA',
        'cf-worker': 'spoofed',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'attacker.example',
        'x-real-ip': '10.0.0.1',
        forwarded: 'for=10.0.0.1',
        connection: 'keep-alive, x-custom',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic cHJveHk6cHc=',
        te: 'trailers',
        upgrade: 'websocket',
        authorization: 'Bearer attune-admin-token',
        'x-custom': 'hop',
      },
    });
    const got = Object.fromEntries(seen[0]!.headers);
    expect(got).toEqual({
      accept: 'text/html',
      'accept-language': 'de',
      'user-agent': 'Mozilla/5.0 Chrome/120',
      cookie: 'session=s3cret; theme=dark',
      'if-none-match': '"abc"',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-host': 'edge.example',
      'x-forwarded-proto': 'https',
    });
  });

  it("passes a basic-auth answer on to the origin it protects, and keeps a shop's own cookie called attune", async () => {
    seen.length = 0;
    await visit('/', { headers: { authorization: 'Basic dXNlcjpwdw==', cookie: 'attune=shop-own-value' } });
    expect(seen[0]!.headers.get('authorization')).toBe('Basic dXNlcjpwdw==');
    expect(seen[0]!.headers.get('cookie')).toBe('attune=shop-own-value');
  });

  it('drops a header the client named in Connection, even one otherwise allowed', async () => {
    seen.length = 0;
    await visit('/', { headers: { connection: 'cookie', cookie: 'session=s3cret' } });
    expect(seen[0]!.headers.get('cookie')).toBeNull();
  });
});

describe('proxy mode caches no more loosely than the origin', () => {
  const caching = async (path: string, cookie?: string) => {
    const res = await visit(path, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    return res.headers;
  };

  it("keeps a private account page private, with the origin's cookie still reaching its visitor", async () => {
    const h = await caching('/account');
    expect(h.get('cache-control')).toBe('private, no-store');
    expect(h.get('set-cookie')).toBe('session=s3cret; Path=/; HttpOnly');
  });

  it.each(['/no-header', '/no-cache', '/welcome'])('does not make %s public', async (path) => {
    expect((await caching(path)).get('cache-control')).toBe('private, no-store');
  });

  it("takes the shorter lifetime, keeps the origin's revalidation and Vary, and drops CDN rules that would outlive them", async () => {
    const h = await caching('/catalog');
    expect(h.get('cache-control')).toBe('public, max-age=60, s-maxage=30, must-revalidate');
    expect(h.get('vary')).toBe('Accept-Encoding, Cookie, User-Agent');
    expect(h.get('cdn-cache-control')).toBeNull();
    expect(h.get('surrogate-control')).toBeNull();
  });

  it('makes a page that varies on everything private', async () => {
    const h = await caching('/any-vary');
    expect(h.get('cache-control')).toBe('private, no-store');
    expect(h.get('vary')).toBe('*');
  });

  it('makes a personalized page private, no-store whatever the origin allowed', async () => {
    const h = await caching('/catalog', await consentCookie(true));
    expect(h.get('cache-control')).toBe('private, no-store');
    expect(h.get('cdn-cache-control')).toBeNull();
  });
});
