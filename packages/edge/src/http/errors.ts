// The one error type of the API: HTTPException, carrying the headers the answer needs (e.g. Retry-After).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function fail(status: ContentfulStatusCode, message: string, headers?: Record<string, string>): never {
  throw new HTTPException(status, { message, cause: headers ? { headers } : undefined });
}

export function headersOf(err: HTTPException): Record<string, string> {
  const c = err.cause as { headers?: Record<string, string> } | undefined;
  return c?.headers ?? {};
}

/** The one onError of both apps (visitor-app.ts, workplace-app.ts): an HTTPException says what was wrong; anything else is logged and answered as a plain 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) {
    for (const [k, v] of Object.entries(headersOf(err))) c.header(k, v);
    return c.json({ success: false, error: err.message }, err.status);
  }
  console.error('attune: unhandled error', err);
  return c.json({ success: false, error: 'internal error' }, 500);
}
