// The hand-over between the two Workers, seen from the visitor's side: every path of the workplace goes to it as it
// came (method, headers, body) and its answer comes back as it was; nothing else does; and a change the workplace
// accepted makes the visitor read the config from KV at once.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import config from '../../../demo-site/attune.config.json';
import catalog from '../../../demo-site/catalog/products.json';
import { CONFIG_KEY, createConfigStore } from './config/store.js';
import { validationOptions } from './config/validate.js';
import { createVisitorApp } from './visitor-app.js';
import { createWorkplaceApp } from './workplace-app.js';

const ORIGIN = 'http://localhost:8787';
type Seen = { method: string; path: string; headers: Record<string, string>; body: string };
let seen: Seen[] = [];
let answer: () => Response = () => new Response('{"from":"workplace"}', { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'attune_session=s; HttpOnly' } });

const workplace = async (request: Request) => {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  seen.push({ method: request.method, path: url.pathname + url.search, headers, body: await request.text() });
  return answer();
};

beforeEach(() => {
  seen = [];
  answer = () => new Response('{"from":"workplace"}', { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'attune_session=s; HttpOnly' } });
});

describe('the visitor app hands the workplace its paths', () => {
  const { app } = createVisitorApp(config, catalog, workplace);
  const call = (method: string, path: string, init: RequestInit = {}) => app.fetch(new Request(`${ORIGIN}${path}`, { method, ...init }), env);

  it.each([
    ['GET', '/v1/config'],
    ['PUT', '/v1/config'],
    ['GET', '/v1/config/versions?limit=3'],
    ['POST', '/v1/config/drafts/d1/publish'],
    ['GET', '/v1/config/schedule'],
    ['GET', '/v1/reports/overview?site=demo&days=7'],
    ['GET', '/v1/reports'],
    ['GET', '/v1/archive/events?site=demo'],
    ['POST', '/v1/admin/session'],
    ['DELETE', '/v1/profiles/a%2Fb'],
  ])('%s %s goes over untouched, and its answer comes back as it was', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ token: 'x', n: 1 });
    const res = await call(method, path, { headers: { authorization: 'Bearer t', origin: ORIGIN, 'x-extra': 'kept' }, body });
    expect(seen).toEqual([{ method, path, headers: expect.objectContaining({ authorization: 'Bearer t', origin: ORIGIN, 'x-extra': 'kept' }), body: body ?? '' }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'workplace' });
    expect(res.headers.get('set-cookie')).toBe('attune_session=s; HttpOnly');
    // The workplace sets its own CORS headers: the visitor adds none of its own on top.
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['GET', '/v1/quizzes/skin', 200],
    ['GET', '/v1/catalog?writeKey=demo', 200],
    ['GET', '/v1/configuration', 404],
    ['GET', '/v1/reportsx', 404],
    ['GET', '/v1/nothing', 404],
  ])('%s %s is the visitor’s own', async (method, path, status) => {
    const res = await call(method, path);
    expect(seen).toEqual([]);
    expect(res.status).toBe(status);
  });

  it("passes the workplace's errors on with their status and words", async () => {
    answer = () => Response.json({ success: false, error: 'the body (2000000 bytes) is over the limit' }, { status: 413 });
    const res = await call('PUT', '/v1/config', { body: '{}' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ success: false, error: 'the body (2000000 bytes) is over the limit' });
  });
});

describe('what both apps share (app-base.ts)', () => {
  it('an unknown /v1 path is a 404 that names it, with the API’s CORS headers, in either app', async () => {
    const apps = [
      [createVisitorApp(config, catalog, workplace).app, '/v1/nothing'],
      [createWorkplaceApp(config, async () => '{}').app, '/v1/admin/nothing'],
    ] as const;
    for (const [app, path] of apps) {
      const res = await app.fetch(new Request(`${ORIGIN}${path}`, { method: 'DELETE', headers: { origin: ORIGIN } }), env);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ success: false, error: `no route DELETE ${path}` });
      expect(res.headers.get('access-control-allow-origin'), path).toBe(ORIGIN);
    }
    expect(seen).toEqual([]);
  });
});

describe('after the workplace accepted a change', () => {
  const quizTitle = async (app: ReturnType<typeof createVisitorApp>['app']) => ((await (await app.fetch(new Request(`${ORIGIN}/v1/quizzes/skin`), env)).json()) as { title: string }).title;
  // Stored as a publish stores it: under this deploy's seed (an older seed's record gives way to the seed).
  const seed = createConfigStore(config).seed(validationOptions(env))!.hash;
  const store = (title: string) => env.PROFILES.put(CONFIG_KEY, JSON.stringify({ config: { ...config, quizzes: config.quizzes.map((q) => (q.id === 'skin' ? { ...q, title } : q)) }, seed }));

  it('the visitor serves the new config on its next request, not up to 5 s later', async () => {
    const { app } = createVisitorApp(config, catalog, workplace);
    const before = await quizTitle(app);
    // What a publish in the workplace does to KV; the visitor has just looked, so it holds its copy for 5 s.
    await store('Published a moment ago');
    expect(await quizTitle(app)).toBe(before);
    await app.fetch(new Request(`${ORIGIN}/v1/config`, { method: 'PUT', body: '{}' }), env);
    expect(await quizTitle(app)).toBe('Published a moment ago');
  });

  it('but not after a read, nor after a change the workplace refused', async () => {
    const { app } = createVisitorApp(config, catalog, workplace);
    await store('First');
    const first = await quizTitle(app);
    await store('Second');
    await app.fetch(new Request(`${ORIGIN}/v1/config`), env);
    answer = () => Response.json({ success: false, error: 'invalid' }, { status: 400 });
    await app.fetch(new Request(`${ORIGIN}/v1/config`, { method: 'PUT', body: '{}' }), env);
    expect(await quizTitle(app)).toBe(first);
  });
});
