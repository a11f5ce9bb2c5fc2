// Rate limits per client, in three budgets: ingest (high: a browser sends bursts), reads (decide,
// recommendations, catalog, quizzes, consent) and failed admin authentications (low). The count is kept by
// Cloudflare's Rate Limiting binding (`[[ratelimits]]` in wrangler.toml): one counter per key in each
// Cloudflare location, shared by every isolate there, so spreading requests over isolates gains nothing.
// The isolate's memory still counts too: it applies a site's `rateLimitPerMinute` where that is stricter than
// the binding, and it stands in for the binding only where the binding is absent (an app built in a unit test
// without it, or the operator override below set above the binding's limit).
// A client is its IP address, hashed: never stored or logged, and only the hash reaches the binding.
import type { Context } from 'hono';
import type { SiteWithId } from '../contract/index.js';
import { fnv1a32 } from '../hash/fast.js';
import { fail } from './errors.js';

export type Budget = 'ingest' | 'reads' | 'adminFailures';

/**
 * The `[[ratelimits]]` entries of wrangler.toml, mirrored: a binding cannot say its own limit, and the 429
 * names it (test/worker/rate-limits.test.ts checks that the bindings refuse exactly here).
 */
export const BUDGETS: Record<Budget, { binding: string; limit: number; period: number; what: string }> = {
  ingest: { binding: 'RATE_LIMIT_INGEST', limit: 1000, period: 60, what: 'ingest' },
  reads: { binding: 'RATE_LIMIT_READS', limit: 300, period: 60, what: 'reads: decide, recommendations, catalog, quizzes, consent' },
  adminFailures: { binding: 'RATE_LIMIT_ADMIN_FAILURES', limit: 10, period: 60, what: 'failed admin authentications' },
};

type Window = { start: number; count: number };
const windows = new Map<string, Window>();
const MINUTE = 60_000;

/** Pure: the decision for one request, counted in `state` (a fixed window of `period` ms per key). */
export function take(state: Map<string, Window>, key: string, limit: number, now: number, period = MINUTE): { ok: true } | { ok: false; retryAfter: number } {
  let w = state.get(key);
  if (!w || now - w.start >= period) {
    if (state.size > 50_000) for (const [k, v] of state) if (now - v.start >= period) state.delete(k);
    w = { start: now, count: 0 };
    state.set(key, w);
  }
  if (w.count >= limit) return { ok: false, retryAfter: Math.max(1, Math.ceil((w.start + period - now) / 1000)) };
  w.count++;
  return { ok: true };
}

/** Pure: what one client is. An IPv6 address counts as its /64, which one subscriber usually holds whole: else each address would get its own budget. */
export function clientAddress(ip: string): string {
  const a = ip.trim().toLowerCase();
  if (!a.includes(':')) return a;
  if (a.includes('.')) return a.slice(a.lastIndexOf(':') + 1); // IPv4-mapped (::ffff:203.0.113.7): the IPv4 address
  const [head, tail] = a.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The client: its address as Cloudflare gives it (x-forwarded-for only counts where that is absent, i.e. locally), hashed. */
export function clientOf(c: Context): string {
  return fnv1a32(clientAddress(c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for') ?? 'local')).toString(36);
}

function bindingOf(c: Context, budget: Budget): RateLimit | undefined {
  const b = (c.env as Record<string, unknown> | undefined)?.[BUDGETS[budget].binding] as RateLimit | undefined;
  return typeof b?.limit === 'function' ? b : undefined;
}

/** Asks the binding; a binding that fails lets the request through (the isolate's count still holds) rather than failing the API. */
async function bindingAllows(binding: RateLimit, key: string): Promise<boolean> {
  try {
    return (await binding.limit({ key })).success;
  } catch (e) {
    console.error('attune: the rate-limiting binding failed; counting in this isolate only', e);
    return true;
  }
}

const refuse = (limit: number, whose: string, what: string, retryAfter: number): never =>
  fail(429, `rate limit of ${limit} requests a minute ${whose} reached (${what}): retry after ${retryAfter} s`, { 'Retry-After': String(retryAfter) });

/**
 * Counts one public request of `site` (none for the site-less quiz route) from this client against `budget`;
 * past it, 429 with Retry-After. `ATTUNE_RATE_LIMIT_PER_MINUTE` (an operator override, e.g. the benchmark's
 * `--var ATTUNE_RATE_LIMIT_PER_MINUTE:100000000`) replaces the site's limit, and skips the binding when it is
 * set above the binding's fixed limit, which could not allow it.
 */
export async function rateLimit(c: Context, budget: 'ingest' | 'reads', site?: SiteWithId): Promise<void> {
  const b = BUDGETS[budget];
  const override = Number((c.env as { ATTUNE_RATE_LIMIT_PER_MINUTE?: string } | undefined)?.ATTUNE_RATE_LIMIT_PER_MINUTE) || undefined;
  const binding = override !== undefined && override > b.limit ? undefined : bindingOf(c, budget);
  const perClient = override ?? site?.rateLimitPerMinute ?? b.limit;
  // Without the binding (and no override), this isolate's memory stands in for it.
  const inIsolate = binding || override !== undefined ? perClient : Math.min(perClient, b.limit);
  const key = `${site?.id ?? '*'}|${clientOf(c)}`;
  const whose = site ? `for site "${site.id}"` : 'per client';
  const r = take(windows, `${budget}|${key}`, inIsolate, Date.now());
  if (!r.ok) refuse(inIsolate, whose, b.what, r.retryAfter);
  // The binding does not tell when its window ends: a whole period is always enough.
  if (binding && !(await bindingAllows(binding, key))) refuse(b.limit, whose, `${b.what}; counted across isolates`, b.period);
}

// Failed admin authentications, per client only (whatever the path or token), so a token cannot be sprayed
// across routes. A client past the budget is locked out for a period: every token it sends, the right one
// too, is refused before it is compared, or the 200 among the 429s would still tell a guess was right. The
// lockout is kept in this isolate and in the Cache API, which every isolate of a Cloudflare location shares
// like the binding's count (on workers.dev the cache stores nothing: each isolate then learns on the
// client's next failure, which the binding refuses).
const lockouts = new Map<string, number>();

// Typed by hand: the test types' CacheStorage lacks Cloudflare's `default`; undefined where there is no Cache API.
const edgeCache = () => (globalThis as { caches?: { default?: Cache } }).caches?.default;
const lockoutKey = (c: Context, client: string) => new Request(`${new URL(c.req.url).origin}/__attune/admin-lockout/${client}`);

async function lockedUntil(c: Context, client: string, now: number): Promise<number> {
  const here = lockouts.get(client) ?? 0;
  if (here > now) return here;
  try {
    const hit = await edgeCache()?.match(lockoutKey(c, client));
    return Number(hit?.headers.get('x-until')) || 0;
  } catch {
    return 0; // no Cache API here (Node): the isolate's lockout is all there is
  }
}

async function lockOut(c: Context, client: string, until: number, now: number): Promise<void> {
  if (lockouts.size > 50_000) for (const [k, v] of lockouts) if (v <= now) lockouts.delete(k);
  lockouts.set(client, until);
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  try {
    await edgeCache()?.put(lockoutKey(c, client), new Response(null, { headers: { 'Cache-Control': `max-age=${seconds}`, 'x-until': String(until) } }));
  } catch {}
}

const lockedOutMessage = (retryAfter: number): never =>
  refuse(BUDGETS.adminFailures.limit, 'per client', `${BUDGETS.adminFailures.what}; every admin token is refused until then`, retryAfter);

/** 429 for a client locked out after too many failed admin authentications. Called before the token is compared. */
export async function refuseLockedOut(c: Context): Promise<void> {
  const now = Date.now();
  const until = await lockedUntil(c, clientOf(c), now);
  if (until > now) lockedOutMessage(Math.max(1, Math.ceil((until - now) / 1000)));
}

/** Counts one failed admin authentication (a success is never counted); past the budget, locks the client out: 429. */
export async function countAdminFailure(c: Context): Promise<void> {
  const b = BUDGETS.adminFailures;
  const client = clientOf(c);
  const now = Date.now();
  const binding = bindingOf(c, 'adminFailures');
  let retryAfter: number;
  if (binding) {
    if (await bindingAllows(binding, client)) return;
    retryAfter = b.period;
  } else {
    // Without the binding the isolate counts: the same budget, in this isolate only.
    const r = take(windows, `adminFailures|${client}`, b.limit, now);
    if (r.ok) return;
    retryAfter = r.retryAfter;
  }
  await lockOut(c, client, now + retryAfter * 1000, now);
  lockedOutMessage(retryAfter);
}
