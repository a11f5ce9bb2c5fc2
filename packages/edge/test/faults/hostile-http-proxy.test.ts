// The same generated hostile HTTP, against `wrangler dev` in proxy mode (ORIGIN: a stand-in shop on loopback),
// where pages and their bodies go on to the origin: no 5xx (a GET with a body made the Worker's fetch to the
// origin throw), no dropped connection, no answer over 5 s, and the origin never gets a body cut short.
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';
import { request, run, SEED, SLOW_MS, verdict } from './hostile-requests.js';

const COUNT = 600;
const TARGETS = ['/', '/cart', '/account', '/style.css', '/no-such-page', '/%2e%2e/etc/passwd', '/v1/batch', '/v1/decide', '/v1/no-such-route'].flatMap((path) => [
  { method: 'GET', path },
  { method: 'POST', path },
]);

/** What the shop saw: requests, bodies whose upload was cut off, GETs or HEADs that carried a body. */
const shop = { requests: 0, cut: [] as string[], getBodies: [] as string[] };
const origin = http.createServer((req, res) => {
  shop.requests++;
  let n = 0;
  req.on('data', (d: Buffer) => (n += d.byteLength));
  req.on('aborted', () => shop.cut.push(`${req.method} ${req.url} after ${n} bytes`));
  req.on('end', () => {
    if (n && (req.method === 'GET' || req.method === 'HEAD')) shop.getBodies.push(`${req.method} ${req.url} with ${n} bytes`);
    res.writeHead(req.url === '/no-such-page' ? 404 : 200, { 'content-type': req.url === '/style.css' ? 'text/css' : 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Shop</title></head><body><attune-slot name="hero"><h1>${req.method} ${n}</h1></attune-slot></body></html>`);
  });
});

let dev: { url: string; stop: () => Promise<void> } | undefined;
beforeAll(async () => {
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  dev = await startDev({ vars: { ORIGIN: `http://127.0.0.1:${(origin.address() as AddressInfo).port}` } });
}, 120_000);
afterAll(async () => {
  await dev?.stop();
  origin.close();
});

describe('hostile HTTP against wrangler dev in proxy mode', () => {
  it(`answers ${COUNT} generated requests without a 5xx, a dropped connection or an answer over ${SLOW_MS / 1000} s, and passes whole bodies on`, async () => {
    const reqs = fc.sample(request(TARGETS), { seed: SEED, numRuns: COUNT });
    const v = verdict(`hostile-http-proxy (seed ${SEED})`, await run(dev!.url, reqs));
    console.log(`${v.line}; the shop got ${shop.requests} requests`);
    expect(shop.requests).toBeGreaterThan(COUNT / 4);
    expect(v.fiveXX, 'answers 5xx').toEqual([]);
    expect(v.dropped, 'connections dropped or answers cut off').toEqual([]);
    expect(v.slow, `answers slower than ${SLOW_MS} ms`).toEqual([]);
    expect(shop.cut, 'bodies cut short on their way to the shop').toEqual([]);
    expect(shop.getBodies, 'GET or HEAD bodies passed on').toEqual([]);
    const home = await fetch(`${dev!.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Shop</title>');
  }, 300_000);
});
