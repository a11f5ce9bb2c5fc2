// The webhook a due trigger sends: a JSON POST signed Stripe-style, so a receiver can check it came from
// this Worker and was not replayed: `Attune-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// `Idempotency-Key` (also the body's `id`) is the same on every retry of one occurrence.
//
// Where it goes is checked before every request (public-url.ts), the first and each redirect's: a timer
// carries the trigger as configured when it was scheduled, and a receiver's Location could aim anywhere. A
// refused hop is never sent anything, signature included. No check here can see the address a public name
// resolves to (Workers have no DNS API); the runtime's network is what keeps fetch off private addresses.
import { isWorkerSecret, secretEnvProblem } from '../contract/triggers.js';
import { toHex } from '../hash/sha256.js';
import { checkWebhookUrl, type UrlRule } from './public-url.js';

export interface WebhookBody {
  /** idempotency key: the same on every attempt of one occurrence */
  id: string;
  trigger: string;
  kind: string;
  site: string;
  profileId: string;
  userId?: string;
  anonymousId?: string;
  firedAt: string;
  data: Record<string, unknown>;
}

/** HMAC-SHA256 of `"<t>.<body>"`, hex. */
export async function signPayload(secret: string, t: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)));
}

export const signatureHeader = async (secret: string, t: number, body: string) => `t=${t},v1=${await signPayload(secret, t, body)}`;

/** Waits after the 1st, 2nd, … failed attempt: 1 min, 5 min, 30 min, 2 h. The 5th failure is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const TIMEOUT_MS = 5_000;

export interface Attempt {
  ok: boolean;
  status: number | null;
  error?: string;
  ms: number;
}

/** Redirects followed, each to a URL the same rule accepts; past them the attempt fails. */
export const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const failed = (error: string, started: number, status: number | null = null): Attempt => ({ ok: false, status, error, ms: Date.now() - started });

/**
 * One attempt; never throws (a timeout or refused connection is a failed attempt). Redirects are followed
 * by hand (`redirect: 'manual'`, which in workerd hands back the 3xx and its Location) and re-POSTed with the
 * same body and signature, since a webhook without its body is no webhook — but only to a URL the rule
 * accepts; a refused one fails the attempt before anything is sent there.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  body: WebhookBody,
  now = Date.now(),
  fetcher: typeof fetch = fetch,
  rule: UrlRule = {},
): Promise<Attempt> {
  const json = JSON.stringify(body);
  const started = Date.now();
  // One budget for the attempt, redirects included.
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let headers: Record<string, string> | undefined;
  let target = url;
  let status: number | null = null;
  try {
    for (let hop = 0; ; hop++) {
      const verdict = checkWebhookUrl(target, rule);
      if (!verdict.ok) return failed(hop ? `redirect not followed: ${target}: ${verdict.reason}` : `not sent to ${url}: ${verdict.reason}`, started, status);
      headers ??= {
        'content-type': 'application/json',
        'user-agent': 'Attune-Webhooks/1',
        'attune-signature': await signatureHeader(secret, Math.floor(now / 1000), json),
        'idempotency-key': body.id,
      };
      const res = await fetcher(verdict.url.href, { method: 'POST', headers, body: json, redirect: 'manual', signal });
      await res.body?.cancel();
      status = res.status;
      if (!REDIRECT_STATUSES.has(res.status)) return { ok: res.ok, status: res.status, ...(res.ok ? {} : { error: `HTTP ${res.status}` }), ms: Date.now() - started };
      const location = res.headers.get('location');
      if (!location) return failed(`HTTP ${res.status} without a Location`, started, res.status);
      if (hop >= MAX_REDIRECTS) return failed(`more than ${MAX_REDIRECTS} redirects`, started, res.status);
      // Relative to the hop that answered, as a browser would resolve it; one that does not parse fails the check.
      try {
        target = new URL(location, verdict.url).href;
      } catch {
        target = location;
      }
    }
  } catch (e) {
    const error = e instanceof Error ? (e.name === 'TimeoutError' ? `timed out after ${TIMEOUT_MS} ms` : e.message) : String(e);
    return failed(error, started);
  }
}

/**
 * A due trigger's delivery: its secret looked up by name, then sendWebhook. The secret's name is checked
 * again (a timer may carry a trigger from an older config), and a value equal to one of the Worker's own
 * secrets never signs anything. `env.ATTUNE_ENV === 'development'` alone lets it reach a local receiver.
 */
export async function deliverWebhook(
  webhook: { url: string; secretEnv: string },
  env: Record<string, unknown>,
  body: WebhookBody,
  fetcher: typeof fetch = fetch,
  now = Date.now(),
): Promise<Attempt> {
  const name = webhook.secretEnv;
  const problem = secretEnvProblem(name);
  if (problem) return { ok: false, status: null, error: `not sent: webhook.secretEnv ${problem}`, ms: 0 };
  const secret = env[name];
  if (typeof secret !== 'string' || !secret) return { ok: false, status: null, error: `the secret ${name} is not set`, ms: 0 };
  const same = Object.keys(env).find((own) => isWorkerSecret(own) && env[own] === secret);
  if (same) return { ok: false, status: null, error: `not sent: ${name} has the same value as ${same}, a secret of the Worker's own; give the webhook its own`, ms: 0 };
  return sendWebhook(webhook.url, secret, body, now, fetcher, { allowLocal: env.ATTUNE_ENV === 'development' });
}
