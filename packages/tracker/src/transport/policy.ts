// Pure rules of the transport: what an answer means and how long to wait.

/** 2xx acknowledges; network errors (0), 408, 429 and 5xx are worth retrying; any other 4xx is a refusal. */
export const retryable = (status: number) => status < 1 || status == 408 || status == 429 || status > 499;

/**
 * Exponential backoff with jitter (50–100% of the step, capped at a minute), never shorter than the
 * server's `Retry-After` (delta-seconds, which is what the Attune edge sends).
 */
export const backoffMs = (attempt: number, retryAfter?: string | null, random = Math.random()) =>
  Math.max(+(retryAfter ?? 0) * 1000 || 0, Math.min(60_000, 1000 * 2 ** attempt) * (0.5 + random / 2));
