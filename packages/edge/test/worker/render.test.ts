// Pages through the Worker: the demo's <attune-slot> and <attune-recs> arrive filled, in the HTML itself,
// for the visitor in front of it — and are cached only when nothing personal is in them.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signedCookie } from '../signed-cookie.js';
import { emptyProfile } from '../../src/profile/apply.js';
import { ORIGIN, post, freshVisitorId } from './helpers.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';


async function visitorCookie(edit: (p: ReturnType<typeof emptyProfile>) => void) {
  const anonymousId = freshVisitorId();
  const p = emptyProfile('demo', `a:${anonymousId}`, new Date(Date.now() - 30 * 86_400_000).toISOString());
  p.ids.anonymousIds.push(anonymousId);
  p.consent = { analytics: true, personalization: true, updatedAt: p.firstSeen };
  edit(p);
  await env.PROFILES.put(`p:demo:a:${anonymousId}`, JSON.stringify(p));
  return signedCookie(anonymousId);
}

const page = (path = '/', headers: Record<string, string> = {}) => SELF.fetch(`${ORIGIN}${path}`, { headers: { 'user-agent': CHROME, ...headers } });
/** The inner HTML of the first <tag ...> element, as sent. */
const inner = (html: string, tag: string, attr = '') => new RegExp(`<${tag}${attr}[^>]*>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? '';

describe('edge rendering', () => {
  it('fills the slots in the HTML itself, with the styles first, for a visitor without consent — cacheable', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf('<style data-attune-css>')).toBeLessThan(html.indexOf('<attune-slot'));
    const hero = inner(html, 'attune-slot', ' name="hero"');
    expect(hero).toContain('Skin care that listens');
    expect(hero).toContain('"variant":"default"');
    expect(html).toMatch(/<attune-slot name="hero" data-attune-filled/);
    // The demo varies the promo bar by device: shared caches must key on User-Agent too.
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toMatch(/Cookie.*User-Agent/);
  });

  it('shows the visitor who told the quiz their skin is dry the dry-skin hero at first paint, never cached', async () => {
    const cookie = await visitorCookie((p) => (p.answers['skin-type'] = { value: 'dry', quiz: 'skin', at: p.firstSeen }));
    const res = await page('/', { cookie });
    const html = await res.text();
    expect(inner(html, 'attune-slot', ' name="hero"')).toContain('Deep hydration for dry skin');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('fills <attune-recs> with product cards and the quiz with its questions', async () => {
    const html = await (await page()).text();
    const recs = inner(html, 'attune-recs');
    expect(recs.match(/<li class="attune-recs__item"/g)?.length).toBe(4);
    expect(recs).toMatch(/<a class="attune-recs__link" href="\/products\/[\w-]+">/);
    expect(inner(html, 'attune-quiz')).toContain('"skin-type"');
    expect(inner(html, 'attune-quiz')).not.toContain('skinType'); // labels only, not the attributes behind them
  });

  it('escapes what a visitor supplied wherever it is rendered', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const cookie = await visitorCookie((p) => {
      p.answers['skin-type'] = { value: evil, quiz: 'skin', at: p.firstSeen };
      p.traits = { name: evil };
    });
    const html = await (await page('/', { cookie })).text();
    expect(html).not.toContain('<img src=x onerror');
    expect(html).not.toContain('<script>alert(2)');
  });

  it('renders a preview link as the segment would see it, keeps it for the next page, and never caches it', async () => {
    const { token } = (await (await post('/v1/preview', { segments: ['sensitive-skin'] }, { authorization: 'Bearer dev-admin' })).json()) as { token: string };
    const res = await page(`/?attune_preview=${token}`);
    const html = await res.text();
    expect(inner(html, 'attune-slot', ' name="hero"')).toContain('Gentle on sensitive skin');
    expect(inner(html, 'attune-slot', ' name="hero"')).toContain('"preview":true');
    expect(res.headers.get('set-cookie')).toMatch(/^attune_preview=.*HttpOnly/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const next = await (await page('/', { cookie: `attune_preview=${token}` })).text();
    expect(inner(next, 'attune-slot', ' name="hero"')).toContain('Gentle on sensitive skin');
    // a forged token is ignored, not an error
    const forged = await page('/?attune_preview=abc.def');
    expect(forged.status).toBe(200);
    expect(inner(await forged.text(), 'attune-slot', ' name="hero"')).toContain('Skin care that listens');
  });

  it('answers HEAD with the same cache headers as GET', async () => {
    const res = await SELF.fetch(`${ORIGIN}/`, { method: 'HEAD', headers: { 'user-agent': CHROME } });
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('leaves everything that is not HTML untouched', async () => {
    const res = await page('/attune.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).not.toBe('private, no-store');
    expect(await res.text()).not.toContain('data-attune-css');
  });
});
