// Proxy mode: the request headers the origin sees. An allow-list, so nothing the Worker's platform or the
// client adds (cf-*, hop-by-hop, a spoofed X-Forwarded-For, Attune's own cookies) reaches the shop's server.
import { CONSENT_COOKIE, isAttuneCookieValue } from '../contract/consent-cookie.js';
import { PREVIEW_COOKIE } from './personalize.js';

/** Passed from the visitor's request as they are: content negotiation, the shop's session, conditionals. */
export const FORWARDED_HEADERS = [
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'referer',
  // The shop's own session: the origin is the shop's, the cookie was set by it (Attune's are removed).
  'cookie',
  // CSRF defences on the origin read these; dropping them would weaken its checks.
  'origin',
  'x-requested-with',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  // The visitor's privacy signals are the shop's to honour.
  'dnt',
  'sec-gpc',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  'range',
] as const;

/** Only with a body: what it is and how long. */
export const BODY_HEADERS = ['content-type', 'content-length'] as const;

/**
 * The visitor's answer to a basic-auth prompt of a protected origin (a staging shop) has to reach it;
 * any other scheme is not the origin's (Attune's admin API takes Bearer tokens) and stays here.
 */
const isBasicAuth = (value: string) => /^basic\s+\S/i.test(value);

/** The `Cookie` header without Attune's consent cookie (when it is recognisably Attune's) and preview cookie. */
export function shopCookies(header: string): string {
  return header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => {
      const i = p.indexOf('=');
      const name = i < 0 ? p : p.slice(0, i).trim();
      if (name === PREVIEW_COOKIE) return false;
      // A cookie of the shop that happens to be called `attune` keeps flowing; Attune's has a fixed shape
      // (signed, or unsigned from before signing: both are Attune's, neither is the shop's).
      return !(name === CONSENT_COOKIE && isAttuneCookieValue(p.slice(i + 1).trim()));
    })
    .filter(Boolean)
    .join('; ');
}

/**
 * @param request the visitor's request as the Worker got it
 * @param hasBody whether the request to the origin carries a body
 * @returns the headers for the request to the origin
 */
export function upstreamHeaders(request: Request, hasBody: boolean): Headers {
  const from = request.headers;
  // RFC 9110 §7.6.1: headers the client named in Connection are for this hop only.
  const hopOnly = new Set((from.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase()));
  const out = new Headers();
  for (const name of [...FORWARDED_HEADERS, ...(hasBody ? BODY_HEADERS : [])]) {
    const value = from.get(name);
    if (value !== null && !hopOnly.has(name)) out.set(name, value);
  }
  const cookie = out.get('cookie');
  if (cookie !== null) {
    const kept = shopCookies(cookie);
    if (kept) out.set('cookie', kept);
    else out.delete('cookie');
  }
  const auth = from.get('authorization');
  if (auth && isBasicAuth(auth) && !hopOnly.has('authorization')) out.set('authorization', auth);
  // Set by the Worker, never passed on from the client: the visitor's address as Cloudflare saw it (the
  // client cannot set cf-connecting-ip through Cloudflare) and the host and scheme the visitor asked for.
  const url = new URL(request.url);
  const ip = from.get('cf-connecting-ip');
  if (ip) out.set('x-forwarded-for', ip);
  out.set('x-forwarded-host', url.host);
  out.set('x-forwarded-proto', url.protocol.slice(0, -1));
  return out;
}
