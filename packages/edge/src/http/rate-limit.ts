// Requests per minute per (site, client). The client is known by its IP only in this isolate's memory,
// hashed, never stored or logged. On Cloudflare each isolate counts on its own (a coarse, cheap guard);
// the Rate Limiting binding is the place to go for a global one.
import type { Context } from 'hono';
import type { SiteWithId } from '../contract/index.js';
import { fail } from './errors.js';

const windows = new Map<string, { start: number; count: number }>();
const MINUTE = 60_000;

/** Pure: the decision for one request. */
export function take(state: Map<string, { start: number; count: number }>, key: string, limit: number, now: number): { ok: true } | { ok: false; retryAfter: number } {
  let w = state.get(key);
  if (!w || now - w.start >= MINUTE) {
    if (state.size > 50_000) for (const [k, v] of state) if (now - v.start >= MINUTE) state.delete(k);
    w = { start: now, count: 0 };
    state.set(key, w);
  }
  if (w.count >= limit) return { ok: false, retryAfter: Math.max(1, Math.ceil((w.start + MINUTE - now) / 1000)) };
  w.count++;
  return { ok: true };
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export function rateLimit(c: Context, site: SiteWithId): void {
  // An operator override (e.g. `wrangler dev --var ATTUNE_RATE_LIMIT_PER_MINUTE:1000000` for the benchmark).
  const limit = Number((c.env as { ATTUNE_RATE_LIMIT_PER_MINUTE?: string }).ATTUNE_RATE_LIMIT_PER_MINUTE) || site.rateLimitPerMinute;
  const client = fnv(c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for') ?? 'local');
  const r = take(windows, `${site.id}|${client}`, limit, Date.now());
  if (!r.ok)
    fail(429, `rate limit of ${limit} requests a minute for site "${site.id}" reached: retry after ${r.retryAfter} s`, {
      'Retry-After': String(r.retryAfter),
    });
}
