// Proxy mode over real HTTP: `wrangler dev` with ORIGIN set to a small shop server on 127.0.0.1, and an
// "attacker" server on 127.0.0.2. Raw request lines a browser would never send (a protocol-relative path,
// an absolute-form URL naming the attacker) must reach the shop's server only, with its own Host; the
// attacker must see nothing, least of all the shop's session cookie.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

interface Seen { url: string; headers: IncomingHttpHeaders }
const shopSaw: Seen[] = [];
const attackerSaw: Seen[] = [];

function serve(host: string, saw: Seen[], body: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    saw.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=600' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** One request written byte for byte on a socket, so the request line is exactly what an attacker sends. */
function raw(port: number, requestLine: string, headers: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      answer += d;
      // The end of a chunked body: wrangler dev keeps the socket open a while even after Connection: close.
      if (answer.endsWith('\r\n0\r\n\r\n')) socket.destroy(), resolve(answer);
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(20_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
    socket.write(`${requestLine}\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`);
  });
}

let shop: { server: Server; port: number };
let attacker: { server: Server; port: number };
let dev: { port: number; stop: () => Promise<void> } | undefined;

beforeAll(async () => {
  shop = await serve('127.0.0.1', shopSaw, '<!doctype html><html><head><title>Shop</title></head><body>shop page</body></html>');
  attacker = await serve('127.0.0.2', attackerSaw, '<!doctype html><html><body><script>steal(document.cookie)</script></body></html>');
  dev = await startDev({ vars: { ORIGIN: `http://127.0.0.1:${shop.port}` } });
}, 120_000);
afterAll(async () => {
  await dev?.stop();
  shop?.server.close();
  attacker?.server.close();
});

describe('proxy mode on wrangler dev', () => {
  it("sends a protocol-relative or absolute-form request line to the shop's server only, with its own Host", async () => {
    const evil = `127.0.0.2:${attacker.port}`;
    const host = `Host: 127.0.0.1:${dev!.port}`;
    const cookie = 'Cookie: session=s3cret';
    const lines = [`GET //${evil}/x HTTP/1.1`, `GET /..//${evil}/x HTTP/1.1`, `GET /\\${evil}/x HTTP/1.1`, `GET http://${evil}/x HTTP/1.1`];
    const statuses: string[] = [];
    for (const line of lines) {
      const answer = await raw(dev!.port, line, [host, cookie]);
      statuses.push(`${line.split(' ')[1]} → ${answer.split('\r\n')[0]}`);
      expect(answer, line).not.toContain('steal(document.cookie)');
    }
    expect(attackerSaw).toEqual([]);
    expect(shopSaw.length).toBeGreaterThanOrEqual(3); // wrangler dev's own proxy answers an absolute-form line 500 itself
    for (const s of shopSaw) {
      expect(s.headers.host).toBe(`127.0.0.1:${shop.port}`);
      expect(s.headers.cookie).toBe('session=s3cret');
    }
    console.log(`proxy-origin: ${statuses.join('; ')}; the shop saw ${shopSaw.map((s) => s.url).join(', ')}; the attacker saw ${attackerSaw.length} requests`);
  });
});
