import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configCommand, parseSyncArgs, versionFileOf } from './config-sync.js';

/** GET and PUT /v1/config of a Worker, in memory, answering as the contract says (contract/studio.ts). */
function fakeWorker(token = 'dev-admin') {
  const versions = [{ version: 1, config: { slots: [{ id: 'hero', default: { title: 'Seed' } }] } as Record<string, unknown>, publishedBy: 'seed', publishedAt: '2026-03-01T00:00:00.000Z', comment: '' }];
  const puts: { ifMatch: string | null; comment: string | null }[] = [];
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const live = () => versions.at(-1)!;
  const publish = (config: Record<string, unknown>, by = 'someone-else') =>
    versions.push({ version: live().version + 1, config, publishedBy: by, publishedAt: `2026-03-0${live().version + 1}T10:00:00.000Z`, comment: '' });
  const serve = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    if (headers.get('authorization') !== `Bearer ${token}`) return json({ success: false, error: 'wrong admin token' }, 401);
    if (url.pathname !== '/v1/config') return json({ success: false, error: 'no route' }, 404);
    if ((init?.method ?? 'GET') === 'GET') {
      const v = live();
      return json({ version: v.version, hash: `h${v.version}`, publishedBy: v.publishedBy, publishedAt: v.publishedAt, comment: v.comment, config: v.config }, 200, { etag: `"${v.version}"` });
    }
    const ifMatch = headers.get('if-match');
    puts.push({ ifMatch, comment: headers.get('attune-comment') && decodeURIComponent(headers.get('attune-comment')!) });
    const config = JSON.parse(String(init!.body)) as Record<string, unknown>;
    if (config.broken) return json({ success: false, error: 'the config has errors; the current one keeps serving', errors: [{ path: 'broken', message: 'unknown key "broken"', severity: 'error' }], warnings: [] }, 400);
    const expected = Number(ifMatch!.replace(/"/g, ''));
    const v = live();
    if (expected !== v.version)
      return json({ success: false, error: `version ${v.version} was published by ${v.publishedBy} at ${v.publishedAt} since your version ${expected}`, current: { version: v.version, publishedBy: v.publishedBy, publishedAt: v.publishedAt } }, 409);
    publish(config, 'owner');
    return json({ success: true, version: live().version, warnings: [] });
  }) as typeof globalThis.fetch;
  return { fetch: serve, versions, puts, live, publish };
}

async function run(worker: ReturnType<typeof fakeWorker>, ...args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await configCommand(args, (s) => lines.push(s), (s) => errors.push(s), { fetch: worker.fetch, env: {} });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

const dir = () => mkdtempSync(join(tmpdir(), 'attune-config-sync-'));
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { slots: { id: string; default: { title: string } }[] };

describe('parseSyncArgs', () => {
  it('defaults the file to attune.config.json and the token to ATTUNE_ADMIN_TOKEN, then dev-admin', () => {
    expect(parseSyncArgs(['pull', '--to', 'http://localhost:8787/'], {})).toEqual({ action: 'pull', to: 'http://localhost:8787', file: 'attune.config.json', token: 'dev-admin', comment: undefined });
    expect(parseSyncArgs(['push', '--to', 'https://shop.example', 'my.json', '--comment', 'why'], { ATTUNE_ADMIN_TOKEN: 't0k' })).toEqual({ action: 'push', to: 'https://shop.example', file: 'my.json', token: 't0k', comment: 'why' });
    expect(parseSyncArgs(['pull', '--to', 'http://x', '--out', 'o.json', '--token', 'given'], { ATTUNE_ADMIN_TOKEN: 'env' })).toMatchObject({ file: 'o.json', token: 'given' });
  });

  it.each([
    [['fetch', '--to', 'http://x'], /pull or push\?/],
    [['pull'], /--to is required/],
    [['pull', '--to', 'localhost:8787'], /expected the Worker's URL/],
    [['pull', '--to', 'http://x', 'file.json'], /takes no file argument/],
    [['push', '--to', 'http://x', '--out', 'f'], /unknown option "--out" for config push/],
    [['push', '--to', 'http://x', 'a.json', 'b.json'], /takes one file/],
    [['push', '--to'], /--to needs a value/],
  ])('refuses %j', (args, why) => expect(parseSyncArgs(args, {})).toMatch(why));
});

describe('attune config pull and push', () => {
  it('round-trips: pull writes the file and its version, an edit pushed is published with If-Match and the comment', async () => {
    const w = fakeWorker();
    const file = join(dir(), 'attune.config.json');
    const pulled = await run(w, 'pull', '--to', 'http://worker.test', '--out', file);
    expect(pulled).toMatchObject({ code: 0, err: '' });
    expect(pulled.out).toMatch(/pulled version 1 \(published by seed at 2026-03-01T00:00:00.000Z\)/);
    expect(readJson(file)).toEqual(w.live().config);
    expect(readFileSync(versionFileOf(file), 'utf8')).toBe('1\n');

    const edited = readJson(file);
    edited.slots[0]!.default.title = 'Edited in the repository';
    writeFileSync(file, JSON.stringify(edited, null, 2));
    const pushed = await run(w, 'push', '--to', 'http://worker.test', file, '--comment', 'Titel für „Trockene Haut“');
    expect(pushed).toMatchObject({ code: 0, err: '' });
    expect(pushed.out).toMatch(/as version 2 \(was 1\)/);
    expect(w.puts).toEqual([{ ifMatch: '"1"', comment: 'Titel für „Trockene Haut“' }]);
    expect(w.live().config).toEqual(edited);
    // The file now stands for version 2: a second edit pushes on top of it.
    expect(readFileSync(versionFileOf(file), 'utf8')).toBe('2\n');
    edited.slots[0]!.default.title = 'Edited again';
    writeFileSync(file, JSON.stringify(edited));
    expect((await run(w, 'push', '--to', 'http://worker.test', file)).code).toBe(0);
    expect(w.live().version).toBe(3);
  });

  it('refuses a push when someone published since the pull, naming their version, and publishes nothing', async () => {
    const w = fakeWorker();
    const file = join(dir(), 'attune.config.json');
    await run(w, 'pull', '--to', 'http://worker.test', '--out', file);
    w.publish({ slots: [{ id: 'hero', default: { title: 'From the studio' } }] });
    writeFileSync(file, JSON.stringify({ slots: [{ id: 'hero', default: { title: 'Mine' } }] }));
    const r = await run(w, 'push', '--to', 'http://worker.test', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused, nothing published: version 2 was published by someone-else at 2026-03-02T10:00:00.000Z since your version 1/);
    expect(r.err).toMatch(/attune config pull --to http:\/\/worker.test --out live.json/);
    expect(w.live().config).toEqual({ slots: [{ id: 'hero', default: { title: 'From the studio' } }] });
    expect(readFileSync(versionFileOf(file), 'utf8')).toBe('1\n');
  });

  it('refuses a push without the version file, of broken JSON, or of an invalid config, with the paths', async () => {
    const w = fakeWorker();
    const d = dir();
    const file = join(d, 'attune.config.json');
    writeFileSync(file, '{}');
    const missing = await run(w, 'push', '--to', 'http://worker.test', file);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/attune.config.json.version is missing: push needs the version/);

    writeFileSync(versionFileOf(file), '1\n');
    writeFileSync(file, '{\n  "slots": [,]\n}');
    const broken = await run(w, 'push', '--to', 'http://worker.test', file);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/✗ .*attune\.config\.json: 1 error[\s\S]*not valid JSON/);

    writeFileSync(file, JSON.stringify({ broken: true }));
    const invalid = await run(w, 'push', '--to', 'http://worker.test', file);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/the config has errors[\s\S]*error\s+broken\n\s+unknown key "broken"/);
    expect(w.versions).toHaveLength(1);
    expect(w.puts).toHaveLength(1); // only the invalid config reached the server
  });

  it('says which token to check when the server refuses it, and writes nothing', async () => {
    const w = fakeWorker('other');
    const file = join(dir(), 'attune.config.json');
    const r = await run(w, 'pull', '--to', 'http://worker.test', '--out', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/answered 401: wrong admin token \(the admin token: --token or ATTUNE_ADMIN_TOKEN\)/);
    expect(existsSync(file)).toBe(false);
  });
});
