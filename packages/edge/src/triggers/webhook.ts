// The webhook a due trigger sends: a JSON POST signed Stripe-style, so a receiver can check it came from
// this Worker and was not replayed: `Attune-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// `Idempotency-Key` (also the body's `id`) is the same on every retry of one occurrence.

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

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** HMAC-SHA256 of `"<t>.<body>"`, hex. */
export async function signPayload(secret: string, t: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)));
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

/** One attempt; never throws (a timeout or refused connection is a failed attempt). */
export async function sendWebhook(url: string, secret: string, body: WebhookBody, now = Date.now(), fetcher: typeof fetch = fetch): Promise<Attempt> {
  const json = JSON.stringify(body);
  const started = Date.now();
  try {
    const res = await fetcher(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Attune-Webhooks/1',
        'attune-signature': await signatureHeader(secret, Math.floor(now / 1000), json),
        'idempotency-key': body.id,
      },
      body: json,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { ok: res.ok, status: res.status, ...(res.ok ? {} : { error: `HTTP ${res.status}` }), ms: Date.now() - started };
  } catch (e) {
    const error = e instanceof Error ? (e.name === 'TimeoutError' ? `timed out after ${TIMEOUT_MS} ms` : e.message) : String(e);
    return { ok: false, status: null, error, ms: Date.now() - started };
  }
}
