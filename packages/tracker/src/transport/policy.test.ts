import { describe, expect, it } from 'vitest';
import { backoffMs, retryable } from './policy.js';

describe('retryable', () => {
  it('retries network errors, timeouts, rate limits and server errors', () => {
    for (const s of [0, 408, 429, 500, 502, 503]) expect(retryable(s), String(s)).toBe(true);
  });
  it('does not retry success or refusals', () => {
    for (const s of [200, 204, 400, 401, 403, 404, 413]) expect(retryable(s), String(s)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt, with 50–100% jitter', () => {
    expect(backoffMs(0, null, 0)).toBe(500);
    expect(backoffMs(0, null, 1)).toBe(1000);
    expect(backoffMs(3, null, 1)).toBe(8000);
    expect(backoffMs(3, null, 0)).toBe(4000);
  });
  it('stops growing at a minute', () => {
    expect(backoffMs(20, null, 1)).toBe(60_000);
  });
  it('never waits less than Retry-After says', () => {
    expect(backoffMs(0, '30', 1)).toBe(30_000);
    expect(backoffMs(5, '1', 1)).toBe(32_000);
  });
  it('ignores a Retry-After it cannot read', () => {
    expect(backoffMs(0, 'soon', 1)).toBe(1000);
  });
});
