// The signature a receiver checks, against a value computed outside this code (Python: hmac.new(key, f"{t}.{body}", sha256)), the retry
// schedule, and where a delivery may go and what may sign it.
import { describe, expect, it } from 'vitest';
import migration from '../../migrations/0005_triggers.sql?raw';
import { TRIGGER_LOG_SCHEMA } from './log.js';
import { WORKER_SECRETS } from '../contract/triggers.js';
import { deliverWebhook, MAX_ATTEMPTS, MAX_REDIRECTS, RETRY_DELAYS_MS, sendWebhook, signatureHeader, type WebhookBody } from './webhook.js';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', async () => {
    const body = JSON.stringify({ id: 'demo:a:x:cart:1', trigger: 'cart' });
    const expected = '0ab479861714adcb50c7d2982d6b2bc12977a34fda999ae02c77d90e9c519a4f';
    expect(await signatureHeader('whsec_test', 1767225600, body)).toBe(`t=1767225600,v1=${expected}`);
  });
  it('retries after 1, 5, 30 and 120 minutes, five attempts in all', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 60_000)).toEqual([1, 5, 30, 120]);
    expect(MAX_ATTEMPTS).toBe(5);
  });
});

describe('trigger log schema', () => {
  const norm = (s: string) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
  it('is the same in the D1 migration and in the Worker', () => {
    expect(migration.split(';').map(norm).filter(Boolean)).toEqual(TRIGGER_LOG_SCHEMA.map(norm));
  });
});

// Where the signed POST goes: the same rule before every request, the first and each redirect's, so a
// receiver (or a timer from an older config) cannot aim the Worker's signature at the inside.
describe('webhook delivery: where it may go', () => {
  const NOW = Date.UTC(2026, 4, 1, 10, 30); // pinned: the signature's t
  const body: WebhookBody = { id: 'demo:a:x:cart:1', trigger: 'cart', kind: 'cart-abandoned', site: 'demo', profileId: 'a:x', firedAt: '2026-05-01T10:30:00.000Z', data: {} };
  interface Sent { url: string; redirect?: string; signature: string | null; body: string }
  /** A stand-in network: answers each URL from `routes` (404 otherwise) and records what was sent where. */
  const network = (routes: Record<string, () => Response>) => {
    const sent: Sent[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const headers = new Headers(init?.headers);
      sent.push({ url, redirect: init?.redirect, signature: headers.get('attune-signature'), body: String(init?.body) });
      return routes[url]?.() ?? new Response('no such page', { status: 404 });
    }) as typeof fetch;
    return { sent, fetcher };
  };
  const redirect = (status: number, location: string) => () => new Response(null, { status, headers: { location } });
  const FIRST = 'https://hooks.example.com/attune';

  it('does not follow a redirect to the metadata address: nothing, signature included, is sent there', async () => {
    const net = network({ [FIRST]: redirect(302, 'http://169.254.169.254/latest/meta-data/iam/') });
    const r = await sendWebhook(FIRST, 'whsec_test', body, NOW, net.fetcher);
    expect(net.sent.map((s) => s.url)).toEqual([FIRST]);
    expect(net.sent[0]!.redirect).toBe('manual'); // the runtime does not follow it by itself
    expect(r).toMatchObject({ ok: false, status: 302 });
    expect(r.error).toMatch(/^redirect not followed: http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam\/: 169\.254\.169\.254 is the cloud metadata address/);
  });

  it.each<[string, string, RegExp]>([
    ['loopback, by a decimal spelling', 'https://2130706433:8787/v1/config', /127\.0\.0\.1 is a loopback address/],
    ['a private network', 'https://10.0.0.7/admin', /10\.0\.0\.7 is a private network address/],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', /IPv4-mapped IPv6 address of 127\.0\.0\.1/],
    ['a local name', 'https://vault.internal/', /vault\.internal is a private-network name/],
    ['plain http', 'http://hooks.example.com/other', /is http:/],
  ])('does not follow a redirect to %s', async (_, location, reason) => {
    const net = network({ [FIRST]: redirect(307, location) });
    const r = await sendWebhook(FIRST, 'whsec_test', body, NOW, net.fetcher);
    expect(net.sent).toHaveLength(1);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(reason);
  });

  it('follows redirects to public https URLs, re-sending the same body and signature', async () => {
    const net = network({
      [FIRST]: redirect(308, '/attune/v2'), // relative: resolved against the hop that answered
      'https://hooks.example.com/attune/v2': redirect(302, 'https://crm.example.org/in'),
      'https://crm.example.org/in': () => new Response('ok'),
    });
    const r = await sendWebhook(FIRST, 'whsec_test', body, NOW, net.fetcher);
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(net.sent.map((s) => s.url)).toEqual([FIRST, 'https://hooks.example.com/attune/v2', 'https://crm.example.org/in']);
    const signature = await signatureHeader('whsec_test', Math.floor(NOW / 1000), JSON.stringify(body));
    for (const s of net.sent) expect(s).toMatchObject({ redirect: 'manual', signature, body: JSON.stringify(body) });
  });

  it(`gives up after ${MAX_REDIRECTS} redirects`, async () => {
    const net = network({ [FIRST]: redirect(302, FIRST) });
    const r = await sendWebhook(FIRST, 'whsec_test', body, NOW, net.fetcher);
    expect(net.sent).toHaveLength(MAX_REDIRECTS + 1);
    expect(r).toMatchObject({ ok: false, status: 302, error: `more than ${MAX_REDIRECTS} redirects` });
  });

  it('sends nothing to a refused first URL (a timer scheduled under an older config)', async () => {
    const net = network({});
    const r = await sendWebhook('http://169.254.169.254/latest/meta-data/', 'whsec_test', body, NOW, net.fetcher);
    expect(net.sent).toHaveLength(0);
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toMatch(/^not sent to http:\/\/169\.254\.169\.254\/latest\/meta-data\/: 169\.254\.169\.254 is the cloud metadata address/);
  });
});

describe('webhook delivery: what may sign it', () => {
  const NOW = Date.UTC(2026, 4, 1, 10, 30);
  const body: WebhookBody = { id: 'demo:a:x:cart:1', trigger: 'cart', kind: 'cart-abandoned', site: 'demo', profileId: 'a:x', firedAt: '2026-05-01T10:30:00.000Z', data: {} };
  const counting = () => {
    const urls: string[] = [];
    const fetcher = (async (input: RequestInfo | URL) => (urls.push(String(input)), new Response('ok'))) as typeof fetch;
    return { urls, fetcher };
  };

  it('never signs with the admin token, even from a trigger scheduled before the config rule existed', async () => {
    const net = counting();
    const r = await deliverWebhook({ url: 'https://hooks.example.com/attune', secretEnv: 'ATTUNE_ADMIN_TOKEN' }, { ATTUNE_ADMIN_TOKEN: 'admin-secret' }, body, net.fetcher, NOW);
    expect(net.urls).toEqual([]);
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toMatch(/not sent: webhook\.secretEnv .*not ATTUNE_ADMIN_TOKEN/);
  });

  it.each(WORKER_SECRETS)('never signs with %s, nor with a name outside ATTUNE_WEBHOOK_', async (own) => {
    const net = counting();
    for (const name of [own, 'ORIGIN', 'CRM_SECRET']) {
      const r = await deliverWebhook({ url: 'https://hooks.example.com/attune', secretEnv: name }, { [name]: 'a-value' }, body, net.fetcher, NOW);
      expect(r.error).toMatch(/^not sent: webhook\.secretEnv /);
    }
    expect(net.urls).toEqual([]);
  });

  it('never signs with a webhook secret whose value is the admin token', async () => {
    const net = counting();
    const env = { ATTUNE_ADMIN_TOKEN: 'reused-value', ATTUNE_WEBHOOK_SECRET: 'reused-value' };
    const r = await deliverWebhook({ url: 'https://hooks.example.com/attune', secretEnv: 'ATTUNE_WEBHOOK_SECRET' }, env, body, net.fetcher, NOW);
    expect(net.urls).toEqual([]);
    expect(r.error).toMatch(/ATTUNE_WEBHOOK_SECRET has the same value as ATTUNE_ADMIN_TOKEN/);
  });

  it("never signs with a webhook secret whose value is a site's server key or identity secret (any of the family)", async () => {
    const net = counting();
    for (const own of ['ATTUNE_SERVER_KEY', 'ATTUNE_SERVER_KEY_SHOP', 'ATTUNE_IDENTITY_SECRET_SHOP']) {
      const env = { [own]: 'reused-value', ATTUNE_WEBHOOK_SECRET: 'reused-value' };
      const r = await deliverWebhook({ url: 'https://hooks.example.com/attune', secretEnv: 'ATTUNE_WEBHOOK_SECRET' }, env, body, net.fetcher, NOW);
      expect(r.error, own).toMatch(new RegExp(`same value as ${own}`));
    }
    expect(net.urls).toEqual([]);
  });

  it('reaches a local receiver only while ATTUNE_ENV is development', async () => {
    const hook = { url: 'http://localhost:8788/hooks/attune', secretEnv: 'ATTUNE_WEBHOOK_SECRET' };
    const dev = counting();
    expect(await deliverWebhook(hook, { ATTUNE_ENV: 'development', ATTUNE_WEBHOOK_SECRET: 's' }, body, dev.fetcher, NOW)).toMatchObject({ ok: true, status: 200 });
    expect(dev.urls).toEqual(['http://localhost:8788/hooks/attune']);
    const prod = counting();
    const r = await deliverWebhook(hook, { ATTUNE_ENV: 'production', ATTUNE_WEBHOOK_SECRET: 's' }, body, prod.fetcher, NOW);
    expect(prod.urls).toEqual([]);
    expect(r.error).toMatch(/localhost is a loopback name .*accepted only in local development/);
  });
});
