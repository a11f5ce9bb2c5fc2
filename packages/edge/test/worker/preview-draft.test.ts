// Previews of a draft config, and schedules, as the studio and a marketer's browser use them: the edge renders the
// page with the draft for the chosen segment while everyone else gets the live one; nothing a preview page sends
// is counted; an expired or revoked link shows the live page; a scheduled variant comes and goes on the clock.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import config from '../../../../demo-site/attune.config.json';
import { atTime } from '../../../../test/clock.js';
import { listAudit } from '../../src/admin/audit.js';
import { configScheduleSchema, previewCreatedSchema, publishRefusedSchema } from '../../src/contract/studio.js';
import { emptyProfile } from '../../src/profile/apply.js';
import { signedCookie } from '../signed-cookie.js';
import { d1Count, freshVisitorId, kvProfile, ORIGIN, post, track, uid } from './helpers.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const ADMIN = { authorization: 'Bearer dev-admin', 'content-type': 'application/json' };
const DRAFT_TITLE = 'Draft: hydration that lasts all winter';

const page = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${ORIGIN}${path}`, { headers: { 'user-agent': CHROME, ...headers } });
const heroOf = (html: string) => /<attune-slot name="hero"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html)?.[1] ?? '';
const hero = async (path: string, headers: Record<string, string> = {}) => heroOf(await (await page(path, headers)).text());

type Config = typeof config & { sites: { demo: { timeZone?: string } } };
/** The demo config with the dry-skin hero retitled: what a marketer's draft holds. */
function draft(edit: (c: Config) => void = (c) => (c.slots[0]!.variants.find((v) => v.id === 'hero-dry')!.content.title = DRAFT_TITLE)) {
  const c = structuredClone(config) as Config;
  edit(c);
  return c;
}

async function preview(body: Record<string, unknown>) {
  const res = await SELF.fetch(`${ORIGIN}/v1/preview`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return previewCreatedSchema.parse(await res.json());
}
const revoke = (id: string) => SELF.fetch(`${ORIGIN}/v1/preview/${id}`, { method: 'DELETE', headers: ADMIN });
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

describe('a preview of a draft', () => {
  it("renders the draft's title for the chosen segment, beside the live page, while visitors still get the live one", async () => {
    const link = await preview({ config: draft(), segments: ['dry-skin'], path: '/?from=studio' });
    expect(link.draftUrl).toBe(link.url);
    expect(link.draftUrl).toMatch(/^\/\?from=studio&attune_preview=/);
    expect(link.liveUrl).toMatch(/^\/\?from=studio&attune_preview=/);

    const res = await page(link.draftUrl!);
    const html = await res.text();
    expect(heroOf(html)).toContain(DRAFT_TITLE);
    expect(heroOf(html)).toContain('"preview":true');
    expect(heroOf(html)).not.toContain('"exposure"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('set-cookie')).toMatch(/^attune_preview=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax/);

    // The live side of the studio: the same page and segment with the live config.
    expect(await hero(link.liveUrl!)).toContain('Deep hydration for dry skin');
    // A dry-skin visitor, and a stranger, see the live config.
    const anonymousId = freshVisitorId();
    const p = emptyProfile('demo', `a:${anonymousId}`, new Date(Date.now() - 86_400_000).toISOString());
    p.ids.anonymousIds.push(anonymousId);
    p.consent = { analytics: true, personalization: true, updatedAt: p.firstSeen };
    p.answers['skin-type'] = { value: 'dry', quiz: 'skin', at: p.firstSeen };
    await env.PROFILES.put(`p:demo:a:${anonymousId}`, JSON.stringify(p));
    expect(await hero('/', { cookie: await signedCookie(anonymousId) })).toContain('Deep hydration for dry skin');
    expect(await hero('/')).toContain('Skin care that listens');

    // The next page of the preview keeps it (the cookie), and a widget asking /v1/decide from it gets the draft.
    expect(await hero('/', { cookie: cookieOf(res) })).toContain(DRAFT_TITLE);
    const decided = await post('/v1/decide', { writeKey: 'demo', anonymousId: uid('anon'), slots: ['hero'] }, { cookie: cookieOf(res), 'user-agent': CHROME });
    expect(((await decided.json()) as { slots: { hero: { content: { title: string } } } }).slots.hero.content.title).toBe(DRAFT_TITLE);
  });

  it('refuses a broken draft with the same problems PUT /v1/config names, and makes no link', async () => {
    const broken = draft((c) => (c.slots[0]!.variants[1]!.audience = { segment: 'dri-skin' }));
    const res = await SELF.fetch(`${ORIGIN}/v1/preview`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ config: broken, segments: ['dry-skin'] }) });
    expect(res.status).toBe(400);
    const body = publishRefusedSchema.parse(await res.json());
    expect(body.errors).toEqual([expect.objectContaining({ path: 'slots[0].variants[1].audience.segment', message: expect.stringMatching(/unknown segment — did you mean "dry-skin"/) })]);
    // Segments are checked against the draft: one only the draft defines is fine, one it lacks is not.
    const added = draft((c) => c.segments.push({ id: 'winter-shopper', rule: { context: 'device', eq: 'mobile' } } as never));
    expect((await preview({ config: added, segments: ['winter-shopper'] })).liveUrl).toBeTruthy();
    const unknown = await SELF.fetch(`${ORIGIN}/v1/preview`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ config: draft(), segments: ['winter-shopper'] }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toBe('unknown segment "winter-shopper" in the draft');
    for (const path of ['https://evil.example/', '//evil.example/', 'products', '/a b'])
      expect((await SELF.fetch(`${ORIGIN}/v1/preview`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ path }) })).status, path).toBe(400);
  });

  it("counts nothing a preview page sends (events, exposures, profile), and counts again once the link is revoked", async () => {
    const link = await preview({ config: draft(), segments: ['dry-skin'] });
    const cookie = cookieOf(await page(link.url));
    const send = (anonymousId: string, headers: Record<string, string>) =>
      post('/v1/batch', {
        writeKey: 'demo',
        batch: [
          { type: 'page', messageId: uid('m'), anonymousId, name: 'Home' },
          track(anonymousId, 'Experiment Viewed', { properties: { experiment_id: 'hero-quiz-copy', variant_id: 'quiz' } }),
          track(anonymousId, 'Product Viewed', { properties: { product_id: 'p1' } }),
        ],
      }, { origin: ORIGIN, 'user-agent': CHROME, ...headers });

    const [byCookie, byReferer, afterRevoke] = [uid('anon'), uid('anon'), uid('anon')];
    const sent = await send(byCookie, { cookie });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ success: true }); // the tracker deletes its outbox, as for any batch
    expect(sent.headers.get('attune-preview')).toBe('not recorded');
    // A browser that refused the cookie still sends the page's address, which carries the link.
    expect((await send(byReferer, { referer: `${ORIGIN}${link.url}` })).status).toBe(200);
    expect(await kvProfile(`a:${byCookie}`)).toBeNull();
    expect(await kvProfile(`a:${byReferer}`)).toBeNull();

    // Revoked: the same browser is a visitor again, counted (so the checks for none can fail).
    expect((await revoke(link.id)).status).toBe(200);
    expect((await send(afterRevoke, { cookie })).headers.get('attune-preview')).toBeNull();
    expect(await d1Count('site = ? AND anonymous_id = ?', 'demo', afterRevoke)).toBe(3);
    expect(await kvProfile(`a:${afterRevoke}`)).not.toBeNull();
    // The log has taken the counted batch, sent after the preview's: none of the preview's events are in it.
    expect(await d1Count('site = ? AND anonymous_id IN (?, ?)', 'demo', byCookie, byReferer)).toBe(0);
  });

  it('falls back to the live page once the link is revoked or has expired, and audits both ends', async () => {
    const revoked = await preview({ config: draft(), segments: ['dry-skin'] });
    expect(await hero(revoked.url)).toContain(DRAFT_TITLE);
    expect((await revoke(revoked.id)).status).toBe(200);
    expect(await hero(revoked.url)).toContain('Skin care that listens');
    expect(await hero(revoked.liveUrl!)).toContain('Skin care that listens');
    expect(await env.PROFILES.get(`admin:preview-draft:${revoked.id}`)).toBeNull();

    const expiring = await preview({ config: draft(), segments: ['dry-skin'], minutes: 5 });
    expect(await hero(expiring.url)).toContain(DRAFT_TITLE);
    const later = new Date(Date.now() + 5 * 60_000 + 1000).toISOString();
    const after = await atTime(later, () => hero(expiring.url));
    expect(after).toContain('Skin care that listens');
    expect(after).not.toContain('"preview":true');

    const audit = await listAudit(env.EVENTS, 50);
    const actions = audit.filter((e) => e.detail.id === revoked.id).map((e) => e.action);
    expect(actions).toEqual(['preview-revoked', 'preview-created']);
    expect(audit.find((e) => e.detail.id === expiring.id)).toMatchObject({ actor: 'owner', detail: { draft: true, path: '/', segments: ['dry-skin'] } });
  });
});

describe('schedules', () => {
  const promo = (html: string) => /<attune-slot name="promo-bar"[^>]*>([\s\S]*?)<\/attune-slot>/.exec(html)?.[1] ?? '';

  it('a scheduled variant appears on the page at its start and is gone at its end (the demo winter promo, in UTC)', async () => {
    const at = (iso: string) => atTime(iso, async () => promo(await (await page('/')).text()));
    expect(await at('2026-11-30T23:59:59Z')).not.toContain('Winter care week');
    expect(await at('2026-12-01T00:00:00Z')).toContain('Winter care week');
    expect(await at('2026-12-31T23:59:59Z')).toContain('Winter care week');
    expect(await at('2027-01-01T00:00:00Z')).not.toContain('Winter care week');
  });

  it("reads local times in the site's zone, through the night Berlin's clocks go back (a draft, previewed)", async () => {
    const night = draft((c) => {
      c.sites.demo.timeZone = 'Europe/Berlin';
      c.slots[0]!.variants.unshift({ id: 'hero-night', priority: 100, schedule: { from: '2026-10-25T02:30', until: '2026-10-25T03:00' }, content: { title: 'Night owl sale' } } as never);
    });
    // The link is made at each instant, so it is live then; 02:30 local is 00:30Z (the first one), 03:00 CET is 02:00Z.
    const at = (iso: string) => atTime(iso, async () => hero((await preview({ config: night })).url));
    expect(await at('2026-10-25T00:29:59Z')).not.toContain('Night owl sale');
    expect(await at('2026-10-25T00:30:00Z')).toContain('Night owl sale');
    expect(await at('2026-10-25T01:59:59Z')).toContain('Night owl sale');
    expect(await at('2026-10-25T02:00:00Z')).not.toContain('Night owl sale');
  });

  it('GET /v1/config/schedule lists what is live, next, ended or always at an instant', async () => {
    const get = (q: string, headers: Record<string, string> = ADMIN) => SELF.fetch(`${ORIGIN}/v1/config/schedule${q}`, { headers });
    const during = configScheduleSchema.parse(await (await get('?at=2026-12-15T12:00:00Z')).json());
    expect(during).toMatchObject({ site: 'demo', timeZone: 'UTC', at: '2026-12-15T12:00:00.000Z' });
    expect(during.items.find((i) => i.id === 'promo-winter')).toEqual({
      kind: 'variant', slot: 'promo-bar', id: 'promo-winter', status: 'live',
      from: '2026-12-01T00:00:00.000Z', fromLocal: '2026-12-01T00:00:00', until: '2027-01-01T00:00:00.000Z', untilLocal: '2027-01-01T00:00:00',
    });
    expect(during.items.find((i) => i.id === 'hero-dry')).toEqual({ kind: 'variant', slot: 'hero', id: 'hero-dry', status: 'always' });
    expect(during.items.find((i) => i.kind === 'experiment')).toMatchObject({ id: 'hero-quiz-copy', status: 'always', experimentStatus: 'running' });
    const statusAt = async (at: string) => configScheduleSchema.parse(await (await get(`?at=${at}`)).json()).items.find((i) => i.id === 'promo-winter')!.status;
    expect(await statusAt('2026-11-30T23:59:59Z')).toBe('next');
    expect(await statusAt('2027-01-01T00:00:00Z')).toBe('ended');

    expect((await get('?at=tomorrow')).status).toBe(400);
    expect(((await (await get('?site=shop')).json()) as { error: string }).error).toMatch(/^site: unknown site "shop"/);
    expect((await get('', {})).status).toBe(401);
  });
});
