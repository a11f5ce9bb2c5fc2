// The two Workers under a real `wrangler dev`, as a deploy has them: the visitor Worker on the hostname, the
// workplace Worker behind its service binding (wrangler.toml, wrangler.workplace.toml). What only the seam between
// them can break: a publish seen at once by the visitor, an erase reaching the visitor's profile writer, the
// workplace's consumer turning events into a report, a session cookie and CORS through the hand-over, the cron.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
// @ts-expect-error: a plain .mjs helper shared with the benchmark
import { startDev } from '../../scripts/dev-server.mjs';

const ADMIN = { authorization: 'Bearer dev-admin' };
const ORIGIN = config.sites.demo.allowedOrigins[0]!;
let dev: { url: string; stop: () => Promise<void>; output: () => string };

beforeAll(async () => {
  dev = await startDev({ testScheduled: true });
}, 120_000);
afterAll(async () => {
  await dev?.stop();
});

const json = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${dev.url}${path}`, init);
  return { res, body: (await res.json()) as Record<string, unknown> };
};

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not after ${ms} ms; last ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const track = (anonymousId: string, event: string, properties: Record<string, unknown> = {}) => ({
  type: 'track',
  event,
  properties,
  anonymousId,
  messageId: randomUUID(),
  timestamp: new Date().toISOString(),
  context: { consent: { analytics: true, personalization: true } },
});

async function send(batch: unknown[]) {
  const { res, body } = await json('/v1/batch', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ writeKey: 'demo', batch }) });
  expect(res.status, JSON.stringify(body)).toBe(200);
}

describe('the visitor and workplace Workers under wrangler dev', () => {
  it('serve a config published through the workplace on the very next visitor request', async () => {
    // The visitor looks at KV now, and would serve this copy for 5 s.
    const old = (await json('/v1/quizzes/skin')).body.title;
    const live = await json('/v1/config', { headers: ADMIN });
    expect(live.res.status).toBe(200);
    const title = `Published ${randomUUID().slice(0, 8)}`;
    const next = live.body.config as typeof config;
    next.quizzes = next.quizzes.map((q) => (q.id === 'skin' ? { ...q, title } : q));
    const put = await json('/v1/config', { method: 'PUT', headers: { ...ADMIN, 'content-type': 'application/json', 'if-match': `"${live.body.version}"` }, body: JSON.stringify(next) });
    expect(put.res.status, JSON.stringify(put.body)).toBe(200);
    // The visitor's isolate held its copy a moment ago; the publish passed through it, so it looks at KV again.
    expect(old).not.toBe(title);
    expect((await json('/v1/quizzes/skin')).body.title).toBe(title);
  });

  it("turn a visitor's events into the workplace's report (the Queue crosses from one Worker to the other)", async () => {
    const before = await json('/v1/reports/overview?site=demo&days=1', { headers: ADMIN });
    expect(before.res.status, JSON.stringify(before.body)).toBe(200);
    const visitors = (b: Record<string, unknown>) => (b.kpis as { visitors: { value: number } }).visitors.value;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await send(ids.map((id) => track(id, 'Product Viewed', { product_id: 'moi-001' })));
    await until(
      'the three visitors in the overview',
      async () => visitors((await json('/v1/reports/overview?site=demo&days=1', { headers: ADMIN })).body),
      (n) => n >= visitors(before.body) + 3,
    );
  });

  it("erase a profile from the workplace through the visitor Worker's profile writer", async () => {
    const id = randomUUID();
    await send([track(id, 'Product Viewed', { product_id: 'moi-001' })]);
    const held = await json(`/v1/profiles/${id}`, { headers: ADMIN });
    expect(held.res.status, JSON.stringify(held.body)).toBe(200);
    const erased = await fetch(`${dev.url}/v1/profiles/${id}`, { method: 'DELETE', headers: ADMIN });
    expect(erased.status, await erased.text()).toBe(200);
    expect((await json(`/v1/profiles/${id}`, { headers: ADMIN })).res.status).toBe(404);
  });

  it('sign a marketer in and keep the session cookie across the hand-over', async () => {
    const signIn = await fetch(`${dev.url}/v1/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: dev.url }, body: JSON.stringify({ token: 'dev-admin' }) });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    const session = await json('/v1/admin/session', { headers: { cookie: cookie.split(';')[0]! } });
    expect(session.body.session).toBeTruthy();
  });

  it("answer a preflight to the workplace's API once, with the workplace's CORS headers", async () => {
    const res = await fetch(`${dev.url}/v1/reports/overview?site=demo`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const foreign = await fetch(`${dev.url}/v1/reports/overview?site=demo`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("run the workplace's cron when asked through the visitor's hostname, and serve the dashboard's files", async () => {
    const cron = await fetch(`${dev.url}/__scheduled?cron=17+3+*+*+*`);
    expect(await cron.text()).toBe('Ran scheduled event');
    const dashboard = await fetch(`${dev.url}/admin/`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});
