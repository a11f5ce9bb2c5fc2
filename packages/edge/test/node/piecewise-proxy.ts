// A proxy in front of the local stack that sends HTML pages slowly, in pieces, the way a real network often
// delivers them. Chromium paints what it has parsed while the rest is on its way, so a layout that only holds
// still once the whole page is there moves in front of the visitor; a whole-body response never shows that.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where an HTML body is cut: after every `<img …>` tag (an image that arrives before the text beside it is
 * the case that moved the hero) and every `every` characters in between (text, not bytes, so no character is split).
 */
export function cutPoints(html: string, every: number): number[] {
  const cuts = new Set<number>();
  for (let i = every; i < html.length; i += every) cuts.add(i);
  for (const m of html.matchAll(/<img\b[^>]*>/g)) cuts.add(m.index + m[0].length);
  return [...cuts].filter((i) => i > 0 && i < html.length).sort((a, b) => a - b);
}

const readBody = async (req: IncomingMessage) => {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
};

/**
 * Forwards every request to `target`; `text/html` answers go out cut at `cutPoints`, `pauseMs` apart.
 * Everything else (scripts, styles, images, the tracker's calls) passes whole.
 */
export async function piecewiseProxy(target: string, { every, pauseMs }: { every: number; pauseMs: number }) {
  const server = createServer(async (req, res) => {
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'accept-encoding') headers.set(k, v);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      const up = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body, redirect: 'manual' });
      const out: Record<string, string | string[]> = {};
      up.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie'].includes(k)) out[k] = v;
      });
      if (up.headers.getSetCookie().length) out['set-cookie'] = up.headers.getSetCookie();
      res.writeHead(up.status, out);
      const bytes = Buffer.from(await up.arrayBuffer());
      if (!up.headers.get('content-type')?.includes('text/html')) return void res.end(bytes);
      const html = bytes.toString('utf8');
      let from = 0;
      for (const to of [...cutPoints(html, every), html.length]) {
        res.write(html.slice(from, to));
        from = to;
        await new Promise((r) => setTimeout(r, pauseMs));
      }
      res.end();
    } catch (err) {
      res.destroy(err as Error);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
