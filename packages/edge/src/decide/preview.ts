// Preview links: a marketer sees a page as a segment would (or with a forced variant) in their own browser.
// The link carries signed claims (HMAC-SHA256 keyed by the admin token) and an expiry; previews are never
// recorded as exposures.
import { z } from 'zod';
import type { Preview } from './decide.js';

export const previewClaimsSchema = z.strictObject({
  segments: z.array(z.string().min(1)).max(50).optional(),
  variants: z.record(z.string(), z.string()).optional(),
  /** ms since the epoch */
  exp: z.number().int(),
});
export type PreviewClaims = z.infer<typeof previewClaimsSchema>;

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

const key = (secret: string) =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(`attune-preview:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

export async function signPreview(secret: string, claims: PreviewClaims): Promise<string> {
  const body = b64url(new TextEncoder().encode(JSON.stringify(claims)));
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await key(secret), new TextEncoder().encode(body)));
  return `${body}.${b64url(sig)}`;
}

/** The preview a token grants, or why it grants none. */
export async function verifyPreview(secret: string, token: string, now = Date.now()): Promise<{ preview: Preview } | { error: string }> {
  const [body, sig] = token.split('.');
  if (!body || !sig) return { error: 'the preview token is malformed' };
  let ok = false;
  try {
    ok = await crypto.subtle.verify('HMAC', await key(secret), fromB64url(sig), new TextEncoder().encode(body));
  } catch {
    ok = false;
  }
  if (!ok) return { error: 'the preview token is not signed by this deployment' };
  let claims: PreviewClaims;
  try {
    claims = previewClaimsSchema.parse(JSON.parse(new TextDecoder().decode(fromB64url(body))));
  } catch {
    return { error: 'the preview token is malformed' };
  }
  if (claims.exp <= now) return { error: 'the preview link has expired: ask for a new one' };
  return { preview: { segments: claims.segments, variants: claims.variants } };
}
