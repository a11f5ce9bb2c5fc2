// A small Node server standing in for the Attune edge in the widget specs: it serves the page a test
// sets, the built bundles, and answers the endpoints the widgets call (quizzes, recommendations, decide),
// recording every request. `delayWidgetsMs` holds the widgets bundle back, so a page is painted (and
// measured) before the widgets hydrate it — the order a real visitor sees.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const WIDGETS = `${root}packages/widgets/dist/attune-widgets.js`;
export const TRACKER = `${root}packages/tracker/dist/attune.js`;
export const AXE = `${root}node_modules/axe-core/axe.min.js`;
/** The demo store's config: the quizzes the endpoint serves are the real ones. */
export const CONFIG = JSON.parse(readFileSync(`${root}demo-site/attune.config.json`, 'utf8'));

export class WidgetServer {
  url = '';
  log: string[] = [];
  /** body of the last POST per path */
  posts: Record<string, any[]> = {};
  page = '';
  delayWidgetsMs = 0;
  quizzes: Record<string, unknown> = Object.fromEntries(CONFIG.quizzes.map((q: { id: string }) => [q.id, q]));
  recommendations: unknown = { strategy: 'for-you', items: [] };
  decide: unknown = { configVersion: 't', profileId: null, holdout: null, preview: false, slots: {}, unknownSlots: [] };
  private server = createServer((req, res) => void this.handle(req, res));

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }

  reset() {
    this.log = [];
    this.posts = {};
    this.page = '';
    this.delayWidgetsMs = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    this.log.push(`${req.method} ${url.pathname}${url.search}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST') (this.posts[url.pathname] ??= []).push(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
    const json = (v: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    const js = async (file: string, delay = 0) => {
      if (!existsSync(file)) return res.writeHead(404).end();
      if (delay) await new Promise((r) => setTimeout(r, delay));
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(readFileSync(file));
    };
    if (url.pathname === '/attune-widgets.js') return js(WIDGETS, this.delayWidgetsMs);
    if (url.pathname === '/attune.js') return js(TRACKER);
    const quiz = /^\/v1\/quizzes\/([^/]+)$/.exec(url.pathname);
    if (quiz) {
      const q = this.quizzes[decodeURIComponent(quiz[1]!)];
      return q ? json(q) : json({ error: 'no such quiz' }, 404);
    }
    if (url.pathname === '/v1/recommendations') return json(this.recommendations);
    if (url.pathname === '/v1/decide') return json(this.decide);
    if (url.pathname === '/v1/batch' || url.pathname === '/v1/consent') return json({ success: true });
    if (url.pathname.startsWith('/img/')) {
      // A tiny image, served late: images that arrive after first paint must not move anything.
      await new Promise((r) => setTimeout(r, 150));
      return res
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#c8d3e6"/></svg>');
    }
    if (req.method === 'GET') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(this.page);
    res.writeHead(404).end();
  }
}
