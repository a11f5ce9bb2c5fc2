// Shared by the Worker tests: requests as a client would send them, and direct looks at the stores.
import { env, SELF } from 'cloudflare:test';
import config from '../../../../demo-site/attune.config.json';
import type { Profile } from '../../src/contract/index.js';
import { bucket } from '../../src/experiments/hash.js';
import { logSettled } from '../../src/log/in-flight.js';

export const ORIGIN = 'http://localhost:8787';
let n = 0;
/** A fresh id per call, so tests never see each other's data. */
export const uid = (p = 'id') => `${p}-${Date.now().toString(36)}-${(n++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
}

/** An admin request, once the log Queue's consumer has taken every event ingested so far (reports read its stores). */
export async function admin(path: string, method = 'GET', token = 'dev-admin') {
  await logSettled();
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

/** Waits until the log Queue's consumer has taken every event this isolate ingested (the Worker and tests share it). */
export { logSettled };

export async function profileOf(id: string): Promise<Profile> {
  const res = await admin(`/v1/profiles/${encodeURIComponent(id)}`);
  if (res.status !== 200) throw new Error(`profile ${id}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function kvProfile(profileId: string): Promise<Profile | null> {
  return env.PROFILES.get(`p:demo:${profileId}`, 'json');
}

export async function d1Count(where: string, ...binds: unknown[]): Promise<number> {
  await logSettled();
  const r = await env.EVENTS.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`).bind(...binds).first<{ n: number }>();
  return r!.n;
}

export function track(anonymousId: string, event: string, extra: Record<string, unknown> = {}) {
  return { type: 'track', event, messageId: uid('m'), anonymousId, timestamp: new Date().toISOString(), ...extra };
}

/** A fresh anonymous id outside the demo's 5% holdout, who would otherwise see defaults everywhere. */
export function freshVisitorId(): string {
  const h = config.holdout!;
  for (;;) {
    const id = uid('anon');
    if (bucket(`holdout:${h.salt}`, id) >= h.percent / 100) return id;
  }
}
