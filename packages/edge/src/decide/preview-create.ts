// POST /v1/preview's work: a signed link that shows a page as chosen segments see it, with forced variants, and —
// when the studio sends its draft — with the draft config, beside a link to the same page with the live one. The
// draft is checked by the same validator as PUT /v1/config (a broken draft gets the same errors, and no link).
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { recordAudit } from '../admin/audit.js';
import { compileConfig, type CompiledConfig } from '../config/compile.js';
import { formatPath } from '../config/problems.js';
import { validateConfig, validationOptions } from '../config/validate.js';
import { previewRequestSchema } from '../contract/studio.js';
import { fail } from '../http/errors.js';
import { randomId } from '../http/hmac-key.js';
import { PREVIEW_PARAM, previewClaimsSchema, previewSecret, signPreview, type PreviewClaims } from './preview.js';
import { saveDraft } from './preview-draft.js';
import { recordPreview } from './preview-store.js';

/** A draft config (as PUT /v1/config takes, up to 1 MB) and the rest of the request. */
export const PREVIEW_BYTES = 1024 * 1024 + 16 * 1024;
export const MAX_PREVIEW_MINUTES = 7 * 24 * 60;
const BASE = 'http://preview.invalid';

/** The page to preview: a path on this site (query and fragment kept), never another origin. */
export function previewPath(raw: unknown): string {
  if (raw === undefined) return '/';
  const ok = typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !/[\\\s\u0000-\u001f\u007f]/.test(raw) && raw.length <= 2000;
  if (!ok) fail(400, 'path: a path on this site starting with "/", such as /products/hydra-serum (at most 2,000 characters, no spaces)');
  const u = new URL(raw as string, BASE);
  u.searchParams.delete(PREVIEW_PARAM); // an old link's token is not carried into a new one
  return u.pathname + u.search + u.hash;
}

/** `path` with the token as its preview parameter. */
export function linkTo(path: string, token: string): string {
  const u = new URL(path, BASE);
  u.searchParams.set(PREVIEW_PARAM, token);
  return u.pathname + u.search + u.hash;
}

/** What a preview names that `config` lacks: segments, slots, variants. */
function unknownIn(config: CompiledConfig, claims: PreviewClaims): string[] {
  return [
    ...(claims.segments ?? []).filter((s) => !config.segmentRules.has(s)).map((s) => `segment "${s}"`),
    ...Object.entries(claims.variants ?? {})
      .filter(([slot, v]) => !config.slots.get(slot) || (v !== 'default' && !config.slots.get(slot)!.variants.some((x) => x.id === v)))
      .map(([slot, v]) => `variant "${v}" of slot "${slot}"`),
  ];
}

const invalid = (issues: { path: PropertyKey[]; message: string }[]): never =>
  fail(400, `invalid preview request: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);

export async function createPreview(c: Context<AppEnv>, raw: Record<string, unknown>): Promise<Response> {
  const minutes = raw.minutes ?? 60;
  if (typeof minutes !== 'number' || !(minutes > 0 && minutes <= MAX_PREVIEW_MINUTES)) fail(400, `minutes: a number from 1 to ${MAX_PREVIEW_MINUTES}`);
  const request = previewRequestSchema.safeParse(raw);
  if (!request.success) invalid(request.error.issues);
  const body = request.data!;
  const secret = previewSecret(c.env) ?? fail(403, 'previews need the ATTUNE_PREVIEW_KEY (or ATTUNE_ADMIN_TOKEN) secret to be set');
  const path = previewPath(body.path);

  let draft: ReturnType<typeof validateConfig> | undefined;
  if (body.config !== undefined) {
    draft = validateConfig(body.config, validationOptions(c.env));
    if (!draft.ok)
      return c.json({ success: false, error: 'the draft has errors: fix them to preview it', errors: draft.errors, warnings: draft.warnings }, 400);
  }
  const now = Date.now();
  const id = randomId();
  const parsed = previewClaimsSchema.safeParse({ id, segments: body.segments, variants: body.variants, ...(draft && { draft: true }), exp: now + minutes * 60_000 });
  if (!parsed.success) invalid(parsed.error.issues);
  const claims = parsed.data!;
  const compiled = draft?.ok ? compileConfig(draft.config) : c.var.config;
  const unknown = unknownIn(compiled, claims);
  if (unknown.length) fail(400, `unknown ${unknown.join(', ')}${draft ? ' in the draft' : ''}`);

  const token = await signPreview(secret, claims);
  if (draft?.ok) await saveDraft(c.env.PROFILES, id, draft.config, claims.exp, now);
  await recordPreview(c.env.PROFILES, claims, now, { path });
  const expires = new Date(claims.exp).toISOString();
  await recordAudit(c, 'preview-created', { id, path, draft: !!draft, segments: claims.segments, variants: claims.variants, expires });
  const url = linkTo(path, token);
  if (!draft) return c.json({ id, token, url, path, expires });
  // The live side: the same id (revoking one revokes both), segments and variants, without the draft.
  const { draft: _, ...live } = claims;
  return c.json({ id, token, url, path, expires, draftUrl: url, liveUrl: linkTo(path, await signPreview(secret, live)), warnings: draft.ok ? draft.warnings : [] });
}
