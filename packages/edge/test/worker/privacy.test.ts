// Export and erase leave nothing behind; consent sets and clears the cookie; the admin API is locked.
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { consentCookieValue } from '../../src/contract/index.js';
import { DEV_COOKIE_SECRET, verifyConsentCookie } from '../../src/http/capability.js';
import { createApp } from '../../src/index.js';
import { admin, d1Count, ORIGIN, post, profileOf, track, uid } from './helpers.js';

async function merged() {
  const anon = uid('pa');
  const user = uid('pu');
  await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed', { properties: { product_id: 'p1' } }), track(anon, 'Cart Viewed')] });
  // The shop's server (server key: its user ids and emails are trusted to link).
  await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'track', event: 'Order Completed', userId: user, messageId: uid(), properties: { revenue: 10 } }] });
  // An email of its own: a server identify's email links every profile with that email (one person, see profile/linking.ts).
  await post('/v1/batch', { writeKey: 'demo-server', batch: [{ type: 'identify', messageId: uid(), anonymousId: anon, userId: user, traits: { email: `${user}@b.co` } }] });
  return { anon, user };
}

/** Tables the writer of `key` holds (workerd's own `_cf_` tables aside): 0 means the object stores nothing. */
async function storageKeys(key: string): Promise<number> {
  const stub = env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName(`demo|${key}`));
  return runInDurableObject(stub, (_, state) =>
    state.storage.sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").one().n as number,
  );
}

describe('admin and privacy API', () => {
  it('exports the profile with every event held, under any of its ids', async () => {
    const { anon, user } = await merged();
    const res = await admin(`/v1/profiles/${anon}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const body = (await res.json()) as { profile: { id: string }; events: { event?: string; type: string }[] };
    expect(body.profile.id).toBe(`u:${user}`);
    expect(body.events.map((e) => e.event ?? e.type).sort()).toEqual(['Cart Viewed', 'Order Completed', 'Product Viewed', 'identify']);
  });

  it('exports the trigger deliveries about the profile and the timers it still holds, without any webhook secret', async () => {
    // The demo's webhooks go to https://hooks.example.com/attune, signed with ATTUNE_WEBHOOK_SECRET ('test-webhook-secret').
    const real = globalThis.fetch;
    const hook = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) =>
      new Request(input as RequestInfo, init).url.startsWith('https://hooks.example.com/') ? new Response('ok') : real(input as RequestInfo, init),
    );
    try {
      const anon = uid('pt');
      const context = { consent: { analytics: true, personalization: true } };
      const send = (e: Record<string, unknown>) => post('/v1/batch', { writeKey: 'demo', batch: [{ ...e, context }] }, { origin: ORIGIN });
      expect((await send(track(anon, 'Product Added', { properties: { product_id: 'cle-001', price: 12.9, quantity: 1 } }))).status).toBe(200);
      // The cart reminder comes due and is delivered…
      const stub = env.PROFILE_WRITER.get(env.PROFILE_WRITER.idFromName(`demo|a:${anon}`));
      await runInDurableObject(stub, (_, state) => void state.storage.sql.exec("UPDATE timers SET due = 0 WHERE status = 'pending'"));
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      // …then an order schedules the refill reminder, 45 days out.
      const ordered = Date.now();
      expect((await send(track(anon, 'Order Completed', { properties: { order_id: uid('o'), revenue: 12.9, products: [{ product_id: 'cle-001', price: 12.9 }] } }))).status).toBe(200);

      const res = await admin(`/v1/profiles/${anon}/export`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const body = JSON.parse(text) as { triggers: { deliveries: Record<string, any>[]; pending: Record<string, any>[] } };
      expect(body.triggers.deliveries).toEqual([
        expect.objectContaining({ trigger: 'cart-reminder', kind: 'cart-abandoned', outcome: 'delivered', receiver: 'https://hooks.example.com', attempts: [expect.objectContaining({ attempt: 1, outcome: 'delivered', status: 200 })] }),
      ]);
      expect(body.triggers.pending).toEqual([expect.objectContaining({ trigger: 'refill-reminder', kind: 'repurchase-due', receiver: 'https://hooks.example.com', attempts: 0, data: expect.objectContaining({ productId: 'cle-001' }) })]);
      expect(Math.round((Date.parse(body.triggers.pending[0]!.due) - ordered) / 86_400_000)).toBe(45);
      // Neither the signing secret, nor its name, nor the receiver's path (URLs often carry a credential).
      for (const secret of ['test-webhook-secret', 'ATTUNE_WEBHOOK_SECRET', 'secretEnv', 'hooks.example.com/attune']) expect(text).not.toContain(secret);
    } finally {
      hook.mockRestore();
    }
  });

  it('erases the profile from the writer, KV and D1, for all its ids, before it answers', async () => {
    const { anon, user } = await merged();
    expect(await d1Count('site = ? AND (anonymous_id = ? OR user_id = ?)', 'demo', anon, user)).toBe(4);
    const res = await admin(`/v1/profiles/${user}`, 'DELETE');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, erased: `u:${user}`, events: 4 });

    expect(await d1Count('site = ? AND (anonymous_id = ? OR user_id = ?)', 'demo', anon, user)).toBe(0);
    const kv = [...(await env.PROFILES.list({ prefix: 'p:demo:' })).keys, ...(await env.PROFILES.list({ prefix: 'id:demo:' })).keys];
    expect(kv.filter((k) => k.name.includes(anon) || k.name.includes(user))).toEqual([]);
    expect(await storageKeys(`u:${user}`)).toBe(0);
    expect(await storageKeys(`a:${anon}`)).toBe(0); // the forwarder is gone too
    for (const id of [anon, user]) expect((await admin(`/v1/profiles/${id}`)).status).toBe(404);
  });

  it('looking up an unknown id leaves nothing behind', async () => {
    const nobody = uid('nobody');
    expect((await admin(`/v1/profiles/${nobody}`)).status).toBe(404);
    expect(await storageKeys(`u:${nobody}`)).toBe(0);
    expect(await storageKeys(`a:${nobody}`)).toBe(0);
    const known = uid('known');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(known, 'x')] });
    expect(await storageKeys(`a:${known}`)).toBe(2); // and the check can tell
  });

  it('locks the admin API: no token, wrong token, and no token configured outside development', async () => {
    const anon = uid('lock');
    await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'x')] });
    expect((await SELF.fetch(`${ORIGIN}/v1/profiles/${anon}`)).status).toBe(401);
    expect((await admin(`/v1/profiles/${anon}`, 'GET', 'dev-admin2')).status).toBe(401);
    expect((await admin(`/v1/profiles/${anon}`, 'DELETE', 'nope')).status).toBe(401);
    expect((await profileOf(anon)).ids.anonymousIds).toEqual([anon]);

    const app = createApp({ sites: { demo: { writeKey: 'demo', allowedOrigins: [], retentionDays: 30, rateLimitPerMinute: 10 } } });
    const req = (token?: string) => new Request(`${ORIGIN}/v1/profiles/${anon}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const prod = { ...env, ATTUNE_ENV: 'production' };
    const refused = await app.fetch(req('dev-admin'), prod);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/ATTUNE_ADMIN_TOKEN/) });
    const configured = { ...prod, ATTUNE_ADMIN_TOKEN: 's3cret-token' };
    expect((await app.fetch(req('dev-admin'), configured)).status).toBe(401);
    expect((await app.fetch(req('s3cret-token'), configured)).status).toBe(200);
  });
});

describe('POST /v1/consent', () => {
  it('sets the first-party HttpOnly cookie on a grant and records consent on the profile', async () => {
    const anon = uid('c');
    const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: { analytics: true, personalization: false } }, { origin: ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^attune=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(`Max-Age=${395 * 86400}`);
    expect(cookie).not.toMatch(/Secure/); // http://localhost
    // Signed by the edge for this site and this anonymous id (http/capability.ts).
    expect(await verifyConsentCookie(DEV_COOKIE_SECRET, 'demo', consentCookieValue(cookie.split(';')[0]))).toEqual({ anonymousId: anon, consent: { analytics: true, personalization: false } });
    expect((await profileOf(anon)).consent).toMatchObject({ analytics: true, personalization: false });

    const https = await SELF.fetch(`https://shop.example/v1/consent`, { method: 'POST', body: JSON.stringify({ writeKey: 'demo', anonymousId: anon, consent: { analytics: true, personalization: true } }) });
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
    expect((await verifyConsentCookie(DEV_COOKIE_SECRET, 'demo', consentCookieValue(https.headers.get('set-cookie')!.split(';')[0])))!.consent.personalization).toBe(true);
  });

  it('a withdrawal erases the profile and clears the cookie', async () => {
    const anon = uid('w');
    await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: { analytics: true, personalization: true } });
    await post('/v1/batch', { writeKey: 'demo', batch: [track(anon, 'Product Viewed')] });
    const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: anon, consent: { analytics: false, personalization: false } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^attune=; .*Max-Age=0/);
    expect((await admin(`/v1/profiles/${anon}`)).status).toBe(404);
    expect(await d1Count('anonymous_id = ?', anon)).toBe(0);
    expect(await env.PROFILES.get(`p:demo:a:${anon}`)).toBeNull();
  });

  it('refuses origins the site does not allow, on preflight and on the request', async () => {
    const evil = 'https://evil.example';
    const pre = await SELF.fetch(`${ORIGIN}/v1/consent`, { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post('/v1/consent', { writeKey: 'demo', anonymousId: uid(), consent: { analytics: true, personalization: true } }, { origin: evil });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: expect.stringMatching(/evil\.example.*allowedOrigins/) });
    const ok = await SELF.fetch(`${ORIGIN}/v1/batch`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8787', 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
  });

});
