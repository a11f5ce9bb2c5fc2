// POST /v1/decide, preview links and the config endpoints, as a browser and a marketer use them.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { createConfigStore } from '../../src/config/store.js';
import { signedCookie } from '../signed-cookie.js';
import type { DecideResponse } from '../../src/contract/decide.js';
import { emptyProfile } from '../../src/profile/apply.js';
import { atTime } from '../../../../test/clock.js';
import { ORIGIN, post, freshVisitorId } from './helpers.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';


async function visitor(edit: (p: ReturnType<typeof emptyProfile>) => void, personalization = true) {
  const anonymousId = freshVisitorId();
  const p = emptyProfile('demo', `a:${anonymousId}`, new Date(Date.now() - 30 * 86_400_000).toISOString());
  p.ids.anonymousIds.push(anonymousId);
  p.consent = { analytics: true, personalization, updatedAt: p.firstSeen };
  edit(p);
  await env.PROFILES.put(`p:demo:a:${anonymousId}`, JSON.stringify(p));
  return { anonymousId, cookie: await signedCookie(anonymousId, { analytics: true, personalization }) };
}

const decideAs = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post('/v1/decide', { writeKey: 'demo', ...body }, { 'user-agent': CHROME, ...headers });

describe('POST /v1/decide', () => {
  it('gives a visitor who told the quiz their skin is dry the dry-skin hero, says why, and is never cached', async () => {
    const v = await visitor((p) => (p.answers['skin-type'] = { value: 'dry', quiz: 'skin', at: p.firstSeen }));
    const res = await decideAs({ slots: ['hero'] }, { cookie: v.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const d = (await res.json()) as DecideResponse;
    expect(d.slots.hero).toMatchObject({ variant: 'hero-dry', reason: { kind: 'segment', segments: ['dry-skin'] } });
    expect(d.profileId).toBe(`a:${v.anonymousId}`);
    expect(d.configVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it('knows the visitor by anonymous id where there is no cookie (another origin)', async () => {
    const v = await visitor((p) => (p.answers['skin-type'] = { value: 'oily', at: p.firstSeen }));
    const d = (await (await decideAs({ slots: ['hero'], anonymousId: v.anonymousId }, { origin: ORIGIN })).json()) as DecideResponse;
    expect(d.slots.hero!.variant).toBe('hero-oily');
  });

  it('without personalization consent shows defaults and contextual variants only', async () => {
    // Outside the demo's winter promotion (scheduled for December 2026), which would outrank the mobile bar.
    await atTime('2026-06-15T10:00:00Z', async () => {
      const v = await visitor((p) => (p.answers['skin-type'] = { value: 'dry', at: p.firstSeen }), false);
      const d = (await (await decideAs({}, { cookie: v.cookie })).json()) as DecideResponse;
      expect(d.slots.hero).toMatchObject({ variant: 'default', reason: { kind: 'no-consent' } });
      const mobile = (await (await decideAs({ slots: ['promo-bar'] }, { cookie: v.cookie, 'user-agent': IPHONE })).json()) as DecideResponse;
      expect(mobile.slots['promo-bar']).toMatchObject({ variant: 'promo-mobile', reason: { kind: 'contextual' } });
    });
  });

  it("shows a scheduled variant from its start until its end, by the edge's clock", async () => {
    const promo = async (at: string) =>
      atTime(at, async () => ((await (await decideAs({ slots: ['promo-bar'] }, { 'user-agent': IPHONE })).json()) as DecideResponse).slots['promo-bar']!.variant);
    expect(await promo('2026-11-30T23:59:00Z')).toBe('promo-mobile');
    expect(await promo('2026-12-01T00:00:01Z')).toBe('promo-winter');
    expect(await promo('2026-12-31T23:59:00Z')).toBe('promo-winter');
    expect(await promo('2027-01-01T00:00:01Z')).toBe('promo-mobile');
  });

  it('answers a stranger with defaults, and reports unknown slots without failing', async () => {
    const d = (await (await decideAs({ slots: ['hero', 'sidebar'] })).json()) as DecideResponse;
    expect(d.profileId).toBeNull();
    expect(d.slots.hero!.variant).toBe('default');
    expect(d.unknownSlots).toEqual(['sidebar']);
  });

  it('refuses bad requests with a 4xx naming the field', async () => {
    const bad = async (body: unknown, status: number, pattern: RegExp) => {
      const res = await post('/v1/decide', body, { 'user-agent': CHROME });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(pattern);
    };
    await bad({ writeKey: 'demo', slots: 'hero' }, 400, /slots: .*array/i);
    await bad({ writeKey: 'demo', slots: [''] }, 400, /slots\[0\]/);
    await bad({ writeKey: 'demo', frobnicate: 1 }, 400, /frobnicate/);
    await bad({ writeKey: 'nope' }, 401, /unknown write key/);
    await bad('not json', 400, /not valid JSON/);
  });
});

describe('preview links', () => {
  const admin = { authorization: 'Bearer dev-admin' };

  it('let a marketer see the page as a segment would, and are never counted', async () => {
    const res = await post('/v1/preview', { segments: ['sensitive-skin'], minutes: 30 }, admin);
    expect(res.status).toBe(200);
    const { token, url } = (await res.json()) as { token: string; url: string };
    expect(url).toContain(token);
    const d = (await (await decideAs({ preview: token })).json()) as DecideResponse;
    expect(d.preview).toBe(true);
    expect(d.slots.hero).toMatchObject({ variant: 'hero-sensitive', reason: { kind: 'preview' } });
    expect(d.slots.hero!.exposure).toBeUndefined();
  });

  it('can force a variant', async () => {
    const { token } = (await (await post('/v1/preview', { variants: { hero: 'hero-returning' } }, admin)).json()) as { token: string };
    expect(((await (await decideAs({ preview: token })).json()) as DecideResponse).slots.hero!.variant).toBe('hero-returning');
  });

  it('need the admin token, name unknown segments and variants, and refuse tampered or expired tokens', async () => {
    expect((await post('/v1/preview', { segments: ['dry-skin'] })).status).toBe(401);
    const unknown = await post('/v1/preview', { segments: ['dri-skin'], variants: { hero: 'nope' } }, admin);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/segment "dri-skin".*variant "nope" of slot "hero"/);
    const { token } = (await (await post('/v1/preview', { segments: ['dry-skin'] }, admin)).json()) as { token: string };
    const sig = token.split('.')[1];
    const forged = `${btoa(JSON.stringify({ segments: ['returning-buyer'], exp: Date.now() + 1e6 })).replace(/=+$/, '')}.${sig}`;
    const res = await decideAs({ preview: forged });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/not signed/);
  });
});

describe('the config being served', () => {
  const admin = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
  const put = (body: unknown) => SELF.fetch(`${ORIGIN}/v1/config`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });

  it('changes without a deploy, and a broken one is refused with every problem while the current keeps serving', async () => {
    const before = (await (await SELF.fetch(`${ORIGIN}/v1/config`, { headers: admin })).json()) as { version: number; hash: string };
    const broken = { ...config, segments: [...config.segments, { id: 'x', rule: { segment: 'nope' } }] };
    const res = await put(broken);
    expect(res.status).toBe(400);
    const refused = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(refused.errors[0]).toMatchObject({ path: `segments[${config.segments.length}].rule.segment`, message: expect.stringMatching(/unknown segment/) });
    expect(((await (await SELF.fetch(`${ORIGIN}/v1/config`, { headers: admin })).json()) as { version: number }).version).toBe(before.version);

    const changed = structuredClone(config);
    changed.slots[0]!.default.title = 'Changed without a deploy';
    const ok = await put(changed);
    expect(ok.status).toBe(200);
    const d = (await (await decideAs({ slots: ['hero'] })).json()) as DecideResponse;
    expect(d.slots.hero!.content.title).toBe('Changed without a deploy');
    expect(d.configVersion).not.toBe(before.hash);
    await put(config); // leave the demo as it was
  });
});

describe('config store', () => {
  it('keeps serving the last good config when a rebuild brings a broken one (wrangler dev), and logs why', async () => {
    const good = createConfigStore(config);
    const served = await good.current(env.PROFILES, Date.now());
    const errors: string[] = [];
    const log = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    try {
      const broken = createConfigStore({ ...config, segmentz: [] });
      const after = await broken.current(env.PROFILES, Date.now());
      expect(after.version).toBe(served.version);
    } finally {
      console.error = log;
    }
    expect(errors.join('\n')).toMatch(/bundled config is invalid.*segmentz/);
  });

  it('serves a new valid seed (a deploy) over an older stored config', async () => {
    await createConfigStore(config).current(env.PROFILES, Date.now());
    const next = structuredClone(config);
    next.holdout = { percent: 3, salt: 'next' };
    const store = createConfigStore(next);
    expect((await store.current(env.PROFILES, Date.now())).config.holdout?.percent).toBe(3);
    await createConfigStore(config).current(env.PROFILES, Date.now());
  });

  it('validates the stored config once per change: one request refreshes while the others serve the one held, an unchanged one is reused', async () => {
    const store = createConfigStore(config);
    const t0 = Date.now();
    const first = await store.current(env.PROFILES, t0);
    // KV reads counted through a wrapper: 20 requests arriving together after the refresh interval read once.
    let reads = 0;
    const kv = new Proxy(env.PROFILES, { get: (t, k) => (k === 'get' ? (...a: unknown[]) => (reads++, (t.get as (...x: unknown[]) => unknown)(...a)) : Reflect.get(t, k)) });
    const later = await Promise.all(Array.from({ length: 20 }, () => store.current(kv, t0 + 10_000)));
    expect(reads).toBe(1);
    // Unchanged text: the very same compiled config, not a fresh compile of it.
    for (const c of later) expect(c).toBe(first);
    // A config stored by another isolate (PUT /v1/config) is still picked up at the next refresh.
    const raw = JSON.parse((await env.PROFILES.get('config:current', 'text'))!) as { config: typeof config; seed: string };
    const changed = structuredClone(raw);
    changed.config.holdout = { percent: 4, salt: 'changed' };
    await env.PROFILES.put('config:current', JSON.stringify(changed));
    try {
      expect((await store.current(env.PROFILES, t0 + 20_000)).config.holdout?.percent).toBe(4);
    } finally {
      await env.PROFILES.put('config:current', JSON.stringify(raw));
    }
  });
});

describe('GET /v1/quizzes/:id', () => {
  it('gives the widgets the questions and labels, not the tags and attributes behind them', async () => {
    const res = await SELF.fetch(`${ORIGIN}/v1/quizzes/skin`);
    expect(res.status).toBe(200);
    const quiz = (await res.json()) as { id: string; questions: { id: string; type: string; answers: Record<string, unknown>[] }[] };
    expect(quiz.id).toBe('skin');
    expect(quiz.questions.map((q) => q.id)).toEqual(['skin-type', 'concerns', 'budget']);
    expect(quiz.questions[0]!.answers[0]).toEqual({ id: 'dry', label: 'Tight or flaky' });
    expect(JSON.stringify(quiz)).not.toContain('skinType');
  });

  it('names an unknown quiz and suggests the right one', async () => {
    const res = await SELF.fetch(`${ORIGIN}/v1/quizzes/skn`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/unknown quiz "skn" — did you mean "skin"\?/);
  });
});
