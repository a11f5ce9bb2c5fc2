// Config versions and publishing (issue 21, item 5): every publish an immutable version in D1, If-Match and the
// 409, restore as a new version the edge serves, validate answering as `attune validate`, drafts.
import { SELF } from 'cloudflare:test';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { parseJson } from '../../src/config/parse-json.js';
import { validateConfig } from '../../src/config/validate.js';
import type { DecideResponse } from '../../src/contract/decide.js';
import {
  auditSchema,
  configDiffSchema,
  configVersionsSchema,
  configVersionWithConfigSchema,
  currentConfigSchema,
  draftSchema,
  draftSavedSchema,
  draftsSchema,
  publishConflictSchema,
  publishedSchema,
  publishRefusedSchema,
  validateAnswerSchema,
} from '../../src/contract/studio.js';
import { ORIGIN, post, uid } from './helpers.js';

const ADMIN = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
type Config = typeof config & { slots: { default: Record<string, unknown> }[] };

const call = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, { method, headers: { ...ADMIN, ...headers }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
const live = async () => {
  const res = await call('/v1/config');
  expect(res.status).toBe(200);
  const body = currentConfigSchema.parse(await res.json());
  expect(res.headers.get('etag')).toBe(`"${body.version}"`);
  return body;
};
const withTitle = (title: string) => {
  const c = structuredClone(config) as Config;
  c.slots[0]!.default.title = title;
  return c;
};
const put = (c: unknown, ifMatch?: number, comment?: string) =>
  call('/v1/config', 'PUT', c, { ...(ifMatch !== undefined ? { 'if-match': `"${ifMatch}"` } : {}), ...(comment ? { 'attune-comment': encodeURIComponent(comment) } : {}) });
const heroTitle = async () => {
  const d = (await (await post('/v1/decide', { writeKey: 'demo', slots: ['hero'] }, { 'user-agent': CHROME })).json()) as DecideResponse;
  return d.slots.hero!.content.title;
};

afterAll(async () => {
  await put(config); // leave the demo as it was
});

describe('GET /v1/config', () => {
  it('names the live version (the seed is one), its hash, who published it, with an ETag', async () => {
    const v = await live();
    expect(v.version).toBeGreaterThanOrEqual(1);
    expect(v.hash).toMatch(/^[0-9a-f]{16}$/);
    const listed = configVersionsSchema.parse(await (await call('/v1/config/versions')).json()).versions;
    expect(listed.at(-1)).toMatchObject({ version: 1, publishedBy: 'seed' });
  });
});

describe('PUT /v1/config', () => {
  it('publishes a new version with who, when and the comment', async () => {
    const before = await live();
    const res = await put(withTitle('Versioned title'), before.version, 'Neuer Titel für „Trockene Haut“');
    expect(res.status).toBe(200);
    const ok = publishedSchema.parse(await res.json());
    expect(ok.version).toBe(before.version + 1);
    const now = await live();
    expect(now).toMatchObject({ version: ok.version, publishedBy: 'owner', comment: 'Neuer Titel für „Trockene Haut“' });
    expect((now.config as Config).slots[0]!.default.title).toBe('Versioned title');
    expect(await heroTitle()).toBe('Versioned title');
  });

  it('of two publishers racing with the same If-Match, gives exactly one 200 and one 409 naming the newer version', async () => {
    const base = (await live()).version;
    const answers = await Promise.all([put(withTitle('Racer A'), base), put(withTitle('Racer B'), base)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const won = publishedSchema.parse(await answers.find((r) => r.status === 200)!.json());
    const lost = publishConflictSchema.parse(await answers.find((r) => r.status === 409)!.json());
    expect(won.version).toBe(base + 1);
    expect(lost.current).toMatchObject({ version: base + 1, publishedBy: 'owner' });
    expect(lost.error).toBe(`version ${base + 1} was published by owner at ${lost.current.publishedAt} since your version ${base}`);
    // The edge serves the winner, and only one version was added.
    const winner = (await live()).config as Config;
    expect(['Racer A', 'Racer B']).toContain(winner.slots[0]!.default.title);
    expect(await heroTitle()).toBe(winner.slots[0]!.default.title);
    expect((await live()).version).toBe(base + 1);
  });

  it('refuses a stale If-Match with a 409 and a malformed one with a 412, publishing nothing', async () => {
    const base = (await live()).version;
    expect((await put(withTitle('Stale'), base - 1)).status).toBe(409);
    const malformed = await call('/v1/config', 'PUT', withTitle('Malformed'), { 'if-match': 'version-3' });
    expect(malformed.status).toBe(412);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/If-Match "version-3" is not a config version/);
    expect((await live()).version).toBe(base);
  });

  it('never publishes an invalid config: 400 with every problem, no version added, the live one keeps serving', async () => {
    const before = await live();
    const broken = { ...config, segments: [...config.segments, { id: 'x', rule: { segment: 'nope' } }] };
    const res = await put(broken, before.version);
    expect(res.status).toBe(400);
    const refused = publishRefusedSchema.parse(await res.json());
    expect(refused.errors[0]).toMatchObject({ path: `segments[${config.segments.length}].rule.segment`, message: expect.stringMatching(/unknown segment/) });
    expect(await live()).toEqual(before);
    expect(await heroTitle()).toBe((before.config as Config).slots[0]!.default.title);
  });
});

describe('versions', () => {
  it('lists newest first and pages with ?limit and ?before', async () => {
    const all = configVersionsSchema.parse(await (await call('/v1/config/versions')).json()).versions;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.map((v) => v.version)).toEqual([...all.map((v) => v.version)].sort((a, b) => b - a));
    const page = configVersionsSchema.parse(await (await call(`/v1/config/versions?limit=2&before=${all[0]!.version}`)).json()).versions;
    expect(page.map((v) => v.version)).toEqual(all.slice(1, 3).map((v) => v.version));
    expect((await call('/v1/config/versions?limit=0')).status).toBe(400);
    expect((await call('/v1/config/versions/abc')).status).toBe(400);
    expect((await call('/v1/config/versions/999999')).status).toBe(404);
  });

  it('restores an old version as a new one whose config equals it, which the edge serves; the diff shows the change', async () => {
    const base = (await live()).version;
    const a = publishedSchema.parse(await (await put(withTitle('Before the mistake'), base)).json()).version;
    const b = publishedSchema.parse(await (await put(withTitle('The mistake'), a)).json()).version;
    expect(await heroTitle()).toBe('The mistake');

    const diff = configDiffSchema.parse(await (await call(`/v1/config/versions/${b}/diff?against=${a}`)).json());
    expect(diff).toEqual({ from: a, to: b, changes: [{ path: 'slots[0].default.title', kind: 'changed', before: 'Before the mistake', after: 'The mistake' }] });

    const res = await call(`/v1/config/versions/${a}/restore`, 'POST', { comment: 'roll back' }, { 'if-match': `"${b}"` });
    expect(res.status).toBe(200);
    const restored = publishedSchema.parse(await res.json()).version;
    expect(restored).toBe(b + 1);
    const [old, now] = await Promise.all([a, restored].map(async (v) => configVersionWithConfigSchema.parse(await (await call(`/v1/config/versions/${v}`)).json())));
    expect(now!.config).toEqual(old!.config);
    expect(now).toMatchObject({ restoredFrom: a, comment: 'roll back', hash: old!.hash });
    expect(await heroTitle()).toBe('Before the mistake');
    // A restore that names an older live version is refused like a publish.
    expect((await call(`/v1/config/versions/${b}/restore`, 'POST', undefined, { 'if-match': `"${b}"` })).status).toBe(409);
  });
});

describe('POST /v1/config/validate', () => {
  it('answers 200 with the same paths and messages as attune validate (parseJson, then validateConfig)', async () => {
    const broken = structuredClone(config) as Config & { segmentz?: unknown };
    broken.segmentz = [];
    broken.slots[0]!.default.title = 42;
    for (const text of [JSON.stringify(broken), '{"segments": [,]}', JSON.stringify(config)]) {
      const res = await call('/v1/config/validate', 'POST', text);
      expect(res.status).toBe(200);
      const got = validateAnswerSchema.parse(await res.json());
      const json = parseJson(text);
      const want = json.ok ? validateConfig(json.value, { allowLocalWebhooks: true }) : { ok: false, errors: [json.problem], warnings: [] };
      expect(got).toEqual({ ok: want.ok, errors: want.ok ? [] : want.errors, warnings: want.warnings });
    }
    const bad = validateAnswerSchema.parse(await (await call('/v1/config/validate', 'POST', JSON.stringify(broken))).json());
    expect(bad.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['segmentz', 'slots[0].default.title']));
  });
});

describe('GET /v1/config/schema', () => {
  it('is the config\'s JSON Schema (the one attune schema prints), cached', async () => {
    const res = await call('/v1/config/schema');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});

describe('drafts', () => {
  it('are saved with their errors, listed, read, published with If-Match: baseVersion, and deleted', async () => {
    const base = (await live()).version;
    const name = `hero-${Date.now().toString(36)}`;
    const invalid = withTitle('');
    (invalid.slots[0] as unknown as { id: number }).id = 7;
    const saved = draftSavedSchema.parse(await (await call(`/v1/config/drafts/${name}`, 'PUT', { baseVersion: base, config: invalid })).json());
    expect(saved.errors.map((e) => e.path)).toContain('slots[0].id');
    const listed = draftsSchema.parse(await (await call('/v1/config/drafts')).json()).drafts;
    expect(listed).toContainEqual(expect.objectContaining({ name, baseVersion: base, updatedBy: 'owner' }));

    draftSavedSchema.parse(await (await call(`/v1/config/drafts/${name}`, 'PUT', { baseVersion: base, config: withTitle('From a draft') })).json());
    const draft = draftSchema.parse(await (await call(`/v1/config/drafts/${name}`)).json());
    expect(draft.errors).toEqual([]);
    expect((await put(draft.config, draft.baseVersion)).status).toBe(200);
    expect(await heroTitle()).toBe('From a draft');
    // A second publish of the same draft finds the live version moved.
    expect((await put(draft.config, draft.baseVersion)).status).toBe(409);

    expect((await call(`/v1/config/drafts/${name}`, 'DELETE')).status).toBe(200);
    expect((await call(`/v1/config/drafts/${name}`)).status).toBe(404);
    expect((await call('/v1/config/drafts/Bad%20Name')).status).toBe(400);
  });
});

describe('roles', () => {
  const PASSWORD = 'a long enough password';
  /** A fresh account signed in: its session cookie stands in for the token. */
  async function as(role: 'viewer' | 'editor' | 'publisher') {
    const name = uid(role).toLowerCase().slice(0, 40);
    expect((await call('/v1/admin/accounts', 'POST', { name, role, password: PASSWORD })).status).toBe(201);
    const res = await SELF.fetch(`${ORIGIN}/v1/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ name, password: PASSWORD }) });
    expect(res.status, await res.clone().text()).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('attune_admin='))!.split(';')[0]!;
    return { name, headers: { cookie, authorization: '' } };
  }

  it('let a viewer read, an editor validate and keep drafts, and only a publisher publish, named in the version', async () => {
    const [viewer, editor, publisher] = [await as('viewer'), await as('editor'), await as('publisher')];
    const base = (await live()).version;
    expect((await call('/v1/config/versions', 'GET', undefined, viewer.headers)).status).toBe(200);
    expect((await call('/v1/config/validate', 'POST', config, viewer.headers)).status).toBe(403);
    expect((await call('/v1/config/validate', 'POST', config, editor.headers)).status).toBe(200);
    expect((await call(`/v1/config/drafts/${editor.name}`, 'PUT', { baseVersion: base, config }, editor.headers)).status).toBe(200);
    const refused = await call('/v1/config', 'PUT', withTitle('By an editor'), { ...editor.headers, 'if-match': `"${base}"` });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/needs the publisher role or higher/);
    expect((await call(`/v1/config/versions/${base}/restore`, 'POST', undefined, editor.headers)).status).toBe(403);

    const ok = await call('/v1/config', 'PUT', withTitle('By a publisher'), { ...publisher.headers, 'if-match': `"${base}"`, 'attune-comment': 'approved' });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const v = configVersionsSchema.parse(await (await call('/v1/config/versions?limit=1', 'GET', undefined, viewer.headers)).json()).versions[0]!;
    expect(v).toMatchObject({ version: base + 1, publishedBy: publisher.name, role: 'publisher', comment: 'approved' });
    expect(await heroTitle()).toBe('By a publisher');
    // The audit log says who published which version.
    const audit = auditSchema.parse(await (await call('/v1/admin/audit?limit=20', 'GET', undefined, publisher.headers)).json()).entries;
    expect(audit).toContainEqual(expect.objectContaining({ actor: publisher.name, role: 'publisher', action: 'publish', detail: expect.objectContaining({ version: base + 1, comment: 'approved' }) }));
    expect(audit).toContainEqual(expect.objectContaining({ actor: editor.name, action: 'draft-saved' }));
    await call(`/v1/config/drafts/${editor.name}`, 'DELETE');
  });
});
