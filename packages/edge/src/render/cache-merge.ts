// Proxy mode: the caching of a personalized page from the origin is the stricter of the origin's and
// Attune's (cache-policy.ts), never looser than either. The answer is either public with a lifetime no
// longer than both allow, or `private, no-store`: the rewritten body has no ETag to revalidate, so a
// private or no-cache answer gains nothing from being stored.
const PRIVATE = 'private, no-store';

export interface CacheInputs {
  /** The origin's Cache-Control; null when it sent none. */
  origin: string | null;
  /** Attune's policy for this page (cache-policy.ts). */
  attune: string;
  /** Every Vary value of the origin's answer and of Attune's policy. */
  vary: readonly string[];
  /** The answer carries Set-Cookie: one visitor's cookie must never be handed to another. */
  setsCookie: boolean;
  /** The request to the origin carried Authorization (RFC 9111 §3.5). */
  authorized: boolean;
}

type Directives = Map<string, string | undefined>;

/** Cache-Control's directives, names lower-cased, quoted values unquoted. */
export function directives(header: string): Directives {
  const out: Directives = new Map();
  for (const part of header.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName!.trim().toLowerCase();
    if (!name) continue;
    const value = rest.length ? rest.join('=').trim().replace(/^"(.*)"$/, '$1') : undefined;
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** A lifetime in seconds; present but unreadable counts as 0, the strictest reading. */
const seconds = (d: Directives, name: string): number | undefined => {
  if (!d.has(name)) return undefined;
  const v = d.get(name) ?? '';
  return /^\d+$/.test(v) ? Number(v) : 0;
};

/** Whether a shared cache may keep the answer by these directives alone. */
function shareable(d: Directives, authorized: boolean): boolean {
  if (d.has('private') || d.has('no-store') || d.has('no-cache')) return false;
  const explicit = d.has('public') || d.has('s-maxage');
  // An answer to an authorized request is shared only when it says so (RFC 9111 §3.5).
  if (authorized && !explicit && !d.has('must-revalidate')) return false;
  return explicit || d.has('max-age');
}

const min = (...xs: (number | undefined)[]) => {
  const defined = xs.filter((x): x is number => x !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
};

/** The union of Vary values, each field once (first spelling kept); `*` alone when any says `*`. */
export function unionVary(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values)
    for (const f of v.split(',').map((s) => s.trim()))
      if (f && !seen.has(f.toLowerCase())) seen.set(f.toLowerCase(), f);
  return seen.has('*') ? ['*'] : [...seen.values()];
}

/** The Cache-Control and Vary of the personalized answer. */
export function mergeCaching(i: CacheInputs): { cacheControl: string; vary: string[] } {
  const vary = unionVary(i.vary);
  if (i.origin === null || i.setsCookie || vary[0] === '*') return { cacheControl: PRIVATE, vary };
  const o = directives(i.origin);
  const a = directives(i.attune);
  if (!shareable(o, i.authorized) || !shareable(a, false)) return { cacheControl: PRIVATE, vary };
  // Browsers keep it for the shorter max-age; shared caches for the shorter of each side's s-maxage (or,
  // without one, its max-age). A side that gives no lifetime does not bound it.
  const maxAge = min(seconds(o, 'max-age'), seconds(a, 'max-age'));
  const sMaxAge = min(seconds(o, 's-maxage') ?? seconds(o, 'max-age'), seconds(a, 's-maxage') ?? seconds(a, 'max-age'));
  const out = ['public'];
  if (maxAge !== undefined) out.push(`max-age=${maxAge}`);
  if (sMaxAge !== undefined && sMaxAge !== maxAge) out.push(`s-maxage=${sMaxAge}`);
  // Revalidation duties only add strictness; stale-while-revalidate, stale-if-error and immutable would
  // lengthen a lifetime, so they are not carried over.
  for (const d of ['must-revalidate', 'proxy-revalidate'])
    if (o.has(d) || a.has(d)) out.push(d);
  return { cacheControl: out.join(', '), vary };
}
