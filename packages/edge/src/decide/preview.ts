// Preview links: a marketer sees a page as a segment would (or with a forced variant) in their own browser.
// The link carries signed claims — an id (so it can be revoked, decide/preview-store.ts), what to preview
// and an expiry — and nothing a preview page sends is counted (preview-request.ts). A link may carry a
// draft config (preview-draft.ts): the page then renders as that draft will once published. The signing key
// is derived (HMAC with a label of its own) from ATTUNE_PREVIEW_KEY, or from the admin token where that
// secret is not set: the token itself never signs a link that leaves the admin's hands.
import * as z from '../contract/zod.js';
import { adminToken } from '../admin/auth.js';
import { b64url, derivedKey, fromB64url, sign, verify } from '../http/hmac-key.js';
import type { Preview } from './decide.js';

/** The query parameter a preview link carries, and the cookie that keeps the preview for the pages after it. */
export const PREVIEW_PARAM = 'attune_preview';
export const PREVIEW_COOKIE = 'attune_preview';

export const previewIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'is a preview link id (22 characters, as POST /v1/preview gave it)'));

export const previewClaimsSchema = z.strictObject({
  id: previewIdSchema,
  segments: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(50))),
  variants: z.optional(z.record(z.string(), z.string())),
  /** Render with the draft config stored under this link's id (preview-draft.ts), not the live one */
  draft: z.optional(z.literal(true)),
  /** ms since the epoch */
  exp: z.int(),
});
export type PreviewClaims = z.infer<typeof previewClaimsSchema>;

const LABEL = 'attune/preview-link/v2';

/** The secret preview keys derive from: ATTUNE_PREVIEW_KEY, else the admin token (dev-admin locally), else none. */
export const previewSecret = (env: { ATTUNE_PREVIEW_KEY?: string; ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string }): string | null =>
  env.ATTUNE_PREVIEW_KEY || adminToken(env);

export async function signPreview(secret: string, claims: PreviewClaims): Promise<string> {
  const body = b64url(new TextEncoder().encode(JSON.stringify(claims)));
  return `${body}.${await sign(await derivedKey(secret, LABEL), body)}`;
}

/** The preview a token grants (not yet checked against revocation), or why it grants none. */
export async function verifyPreview(secret: string, token: string, now = Date.now()): Promise<{ preview: Preview; claims: PreviewClaims } | { error: string }> {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { error: 'the preview token is malformed' };
  if (!(await verify(await derivedKey(secret, LABEL), body, sig))) return { error: 'the preview token is not signed by this deployment' };
  let claims: PreviewClaims;
  try {
    claims = previewClaimsSchema.parse(JSON.parse(new TextDecoder().decode(fromB64url(body))));
  } catch {
    return { error: 'the preview token is malformed' };
  }
  if (claims.exp <= now) return { error: 'the preview link has expired: ask for a new one' };
  return { preview: { segments: claims.segments, variants: claims.variants }, claims };
}
