// The one error type of the API: HTTPException, carrying the headers the answer needs (e.g. Retry-After).
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function fail(status: ContentfulStatusCode, message: string, headers?: Record<string, string>): never {
  throw new HTTPException(status, { message, cause: headers ? { headers } : undefined });
}

export function headersOf(err: HTTPException): Record<string, string> {
  const c = err.cause as { headers?: Record<string, string> } | undefined;
  return c?.headers ?? {};
}
