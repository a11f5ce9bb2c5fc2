// A small Node http server standing in for the Attune edge in the browser specs.
// It serves a test page (the inline stub + the script tag) and the built bundle, and answers
// POST /v1/batch and POST /v1/consent like the edge will: it records every request raw, dedupes
// events by messageId, and can be told to fail, throttle or hold requests.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { batchBodySchema, consentRequestSchema, eventSchema } from '@attune/edge/contract';

// ATTUNE_TRACKER_DIST: another build's folder, e.g. to check that a spec fails on an earlier tracker.
export const DIST = process.env.ATTUNE_TRACKER_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
export const BUNDLE = DIST + 'attune.js';
const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));

/** The inline stub, read from the README so the specs test what site owners paste (the demo store's pages carry the same one). */
export const STUB = (() => {
  const m = /<script>(!function\(w,n\)[\s\S]*?)<\/script>/.exec(readFileSync(README, 'utf8'));
  if (!m) throw new Error(`no inline stub found in ${README}`);
  return m[1]!;
})();

export interface PageOptions {
  /** Data attributes of the script tag besides data-write-key, without the `data-` prefix. */
  attrs?: Record<string, string>;
  /** Inline script run before the stub (a dataLayer, a fake __tcfapi, …). */
  before?: string;
  /** Inline script run after the stub, before the tracker loads (calls that the stub queues). */
  after?: string;
  /** Include the tracker's script tag (default true); false gives the same page without it. */
  script?: boolean;
  /** The script tag's src (default /attune.js; /empty.js serves an empty script, a baseline). */
  src?: string;
  /** Include the stub (default true). */
  stub?: boolean;
  title?: string;
  body?: string;
}

export interface Event {
  type: string;
  messageId: string;
  anonymousId?: string;
  userId?: string | null;
  timestamp?: string;
  event?: string;
  name?: string;
  previousId?: string;
  properties?: Record<string, any>;
  traits?: Record<string, any>;
  context?: Record<string, any>;
}

export interface BatchRequest {
  at: number;
  raw: string;
  headers: IncomingMessage['headers'];
  body?: { batch: Event[]; sentAt: string; writeKey: string; dropped: number };
  events: Event[];
  /** the status answered, undefined while held or when the connection was dropped */
  status?: number;
  /** the edge processed it (answered 2xx): its events count as delivered */
  accepted: boolean;
}

export interface ConsentRequest {
  at: number;
  raw: string;
  body: any;
  headers: IncomingMessage['headers'];
}

interface Fault {
  status: number;
  retryAfter?: string;
  /** the answer's body (default: an injected-fault error) */
  body?: (req: BatchRequest) => unknown;
  /** fail this many more requests */
  count?: number;
  /** or fail until this time (ms epoch) */
  until?: number;
}

interface Held {
  req: BatchRequest;
  res: ServerResponse;
}

export interface Stats {
  /** POST /v1/batch requests received, whatever was answered */
  rawRequests: number;
  /** events in those requests */
  rawEvents: number;
  /** events in requests answered 2xx */
  acceptedEvents: number;
  /** distinct messageIds accepted (what the edge keeps after dedupe) */
  unique: number;
  /** accepted events dropped by the messageId dedupe */
  duplicates: number;
}

export class TestServer {
  url = '';
  /** every request, in order of arrival: `METHOD /path` */
  log: string[] = [];
  batches: BatchRequest[] = [];
  consents: ConsentRequest[] = [];
  /** accepted events by messageId: the edge's dedupe */
  delivered = new Map<string, Event>();
  /** events or bodies that the edge's contract (zod) would refuse */
  invalid: string[] = [];
  page: PageOptions = {};
  scriptDelayMs = 0;
  private faults: Fault[] = [];
  private holdNext = 0;
  private held: Held[] = [];
  private heldWaiters: (() => void)[] = [];
  private server = createServer((req, res) => void this.handle(req, res));
  private sockets = new Set<import('node:net').Socket>();

  async start() {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close() {
    for (const h of this.held.splice(0)) h.res.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  /** Forget everything recorded and every instruction: called before each test. */
  reset() {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.log = [];
    this.batches = [];
    this.consents = [];
    this.delivered.clear();
    this.invalid = [];
    this.page = {};
    this.scriptDelayMs = 0;
    this.faults = [];
    this.holdNext = 0;
  }

  /** Answer the next `count` batch requests with `status` (e.g. 500, or 429 with Retry-After). */
  failNext(count: number, status: number, retryAfter?: string, body?: (req: BatchRequest) => unknown) {
    this.faults.push({ status, count, retryAfter, body });
  }

  /** Answer every batch request with `status` for the next `ms` milliseconds. */
  failFor(ms: number, status: number, retryAfter?: string) {
    this.faults.push({ status, until: Date.now() + ms, retryAfter });
  }

  /** Hold the next `n` batch requests open (no answer) until release() or drop(). */
  hold(n = 1) {
    this.holdNext += n;
  }

  get heldCount() {
    return this.held.length;
  }

  /** Resolves once a request is being held. */
  whenHeld(): Promise<void> {
    return this.held.length ? Promise.resolve() : new Promise((r) => this.heldWaiters.push(r));
  }

  /** Answer the held requests: the edge processed them (2xx counts as delivered). */
  release(status = 200) {
    for (const h of this.held.splice(0)) this.answer(h.req, h.res, status);
  }

  /** Drop the held connections without an answer: the edge never processed them. */
  drop() {
    for (const h of this.held.splice(0)) h.res.destroy();
  }

  stats(): Stats {
    const accepted = this.batches.filter((b) => b.accepted);
    const acceptedEvents = accepted.reduce((n, b) => n + b.events.length, 0);
    return {
      rawRequests: this.batches.length,
      rawEvents: this.batches.reduce((n, b) => n + b.events.length, 0),
      acceptedEvents,
      unique: this.delivered.size,
      duplicates: acceptedEvents - this.delivered.size,
    };
  }

  /** Every event received (accepted or not), in order of arrival. */
  allEvents(): Event[] {
    return this.batches.flatMap((b) => b.events);
  }

  /** Accepted, deduped events, in order of first delivery. */
  events(): Event[] {
    return [...this.delivered.values()];
  }

  tracks(name?: string): Event[] {
    return this.events().filter((e) => e.type === 'track' && (name == null || e.event === name));
  }

  pages(): Event[] {
    return this.events().filter((e) => e.type === 'page');
  }

  /** How many times each messageId was received, accepted or not. */
  receivedCount(messageId: string) {
    return this.allEvents().filter((e) => e.messageId === messageId).length;
  }

  html(o: PageOptions = this.page): string {
    const attrs = Object.entries({ 'write-key': 'demo', ...o.attrs })
      .map(([k, v]) => ` data-${k}="${v.replace(/"/g, '&quot;')}"`)
      .join('');
    return [
      '<!doctype html><html lang="en"><head><meta charset="utf-8">',
      // No favicon request: the consent spec counts every request the page makes.
      '<link rel="icon" href="data:,">',
      `<title>${o.title ?? 'Attune test'}</title>`,
      o.before ? `<script>${o.before}</script>` : '',
      o.stub === false ? '' : `<script>${STUB}</script>`,
      o.after ? `<script>${o.after}</script>` : '',
      o.script === false ? '' : `<script async src="${o.src ?? '/attune.js'}"${attrs}></script>`,
      `</head><body>${o.body ?? '<h1>Attune test page</h1>'}</body></html>`,
    ].join('\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    this.log.push(`${req.method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');

    if (req.method === 'POST' && url.pathname === '/v1/batch') return this.batch(req, res, raw);
    if (req.method === 'POST' && url.pathname === '/v1/consent') return this.consent(req, res, raw);
    // The built bundles: /attune.js, and what it loads itself (e.g. /attune-cmp.js, the consent-platform bridge).
    const bundle = /^\/(attune[\w-]*\.js)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && bundle && existsSync(DIST + bundle)) {
      if (this.scriptDelayMs && bundle === 'attune.js') await new Promise((r) => setTimeout(r, this.scriptDelayMs));
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      return res.end(readFileSync(DIST + bundle));
    }
    if (req.method === 'GET' && url.pathname === '/empty.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      return res.end('');
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/v1/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(this.html());
    }
    res.writeHead(404).end();
  }

  private batch(req: IncomingMessage, res: ServerResponse, raw: string) {
    const rec: BatchRequest = { at: Date.now(), raw, headers: req.headers, events: [], accepted: false };
    try {
      rec.body = JSON.parse(raw);
      rec.events = Array.isArray(rec.body?.batch) ? rec.body!.batch : [];
    } catch {
      this.invalid.push(`batch body is not JSON: ${raw.slice(0, 200)}`);
    }
    this.batches.push(rec);
    const b = batchBodySchema.safeParse(rec.body);
    if (!b.success) this.invalid.push(`batch body: ${b.error.message}`);
    rec.events.forEach((e, i) => {
      const r = eventSchema.safeParse(e);
      if (!r.success) this.invalid.push(`batch[${i}] (${e?.messageId}): ${r.error.message}`);
    });

    if (this.holdNext > 0) {
      this.holdNext--;
      this.held.push({ req: rec, res });
      this.heldWaiters.splice(0).forEach((w) => w());
      return;
    }
    const now = Date.now();
    this.faults = this.faults.filter((f) => (f.count ?? 1) > 0 && (f.until ?? Infinity) > now);
    const f = this.faults[0];
    if (f) {
      if (f.count != null) f.count--;
      res.setHeader('content-type', 'application/json');
      if (f.retryAfter) res.setHeader('retry-after', f.retryAfter);
      rec.status = f.status;
      return res.writeHead(f.status).end(JSON.stringify(f.body ? f.body(rec) : { success: false, error: 'injected fault' }));
    }
    this.answer(rec, res, 200);
  }

  private answer(rec: BatchRequest, res: ServerResponse, status: number) {
    rec.status = status;
    if (status >= 200 && status < 300) {
      rec.accepted = true;
      for (const e of rec.events) if (e?.messageId && !this.delivered.has(e.messageId)) this.delivered.set(e.messageId, e);
    }
    if (!res.destroyed)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ success: status < 300 }));
  }

  private consent(req: IncomingMessage, res: ServerResponse, raw: string) {
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      this.invalid.push(`consent body is not JSON: ${raw.slice(0, 200)}`);
    }
    this.consents.push({ at: Date.now(), raw, body, headers: req.headers });
    const r = consentRequestSchema.safeParse(body);
    if (!r.success) this.invalid.push(`consent body: ${r.error.message}`);
    const c = body?.consent ?? {};
    const granted = ['analytics', 'personalization'].filter((p) => c[p] === true);
    // Like the edge: a first-party HttpOnly cookie with the anonymous id and the granted purposes; cleared on withdrawal.
    const cookie = granted.length
      ? `attune=${encodeURIComponent(`${body.anonymousId}.${granted.join('+')}`)}; HttpOnly; Path=/; SameSite=Lax; Max-Age=31536000`
      : 'attune=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0';
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': cookie }).end(JSON.stringify({ success: true }));
  }
}
