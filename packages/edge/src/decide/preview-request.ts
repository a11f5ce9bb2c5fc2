// Whether a request comes from a preview, and what it previews. A preview link (?attune_preview=…) sets a
// cookie that keeps the preview for the pages after it; while that cookie holds a live link, the pages render
// the preview (the draft config when the link carries one) and nothing the browser sends is counted: the
// tracker's events and the widgets' exposures are answered as accepted and dropped (ingest/routes.ts), and the
// slots carry no exposure to send. An expired or revoked link previews nothing: the live page, counted as usual.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { CompiledConfig } from '../config/compile.js';
import type { Preview } from './decide.js';
import { PREVIEW_COOKIE, PREVIEW_PARAM } from './preview.js';
import { draftOf } from './preview-draft.js';
import { checkPreview } from './preview-store.js';

export interface ActivePreview {
  preview: Preview;
  token: string;
  /** ms since the epoch */
  exp: number;
  /** The config to render with: the link's draft, or the live one */
  config: CompiledConfig;
}

export const cookieValue = (header: string | undefined, name: string) =>
  header?.split(';').map((p) => p.trim().split('=')).find(([k]) => k === name)?.[1];

/** The preview token a page request carries: the link's parameter first, else the cookie an earlier page set. */
export const previewTokenOf = (c: Context<AppEnv>, url: URL): string | undefined =>
  url.searchParams.get(PREVIEW_PARAM) ?? cookieValue(c.req.header('cookie'), PREVIEW_COOKIE);

/** Why a token previews nothing, or what it previews (a draft that KV no longer holds: nothing). */
export async function activePreview(c: Context<AppEnv>, token: string, now = Date.now()): Promise<ActivePreview | { error: string }> {
  const v = await checkPreview(c.env, token, now);
  if ('error' in v) return v;
  let config = c.var.config;
  if (v.claims.draft) {
    const draft = await draftOf(c.env.PROFILES, v.claims.id, v.claims.exp, now);
    if (!draft) return { error: 'the preview link\'s draft is gone: ask for a new link' };
    config = draft;
  }
  return { preview: v.preview, token, exp: v.claims.exp, config };
}

/**
 * Whether a browser's request (an ingest batch, a decide) comes from a preview: the preview cookie of a live
 * link, or a page whose address carries one (the Referer, for a browser that refused the cookie).
 */
export async function fromPreview(c: Context<AppEnv>): Promise<boolean> {
  let token = cookieValue(c.req.header('cookie'), PREVIEW_COOKIE);
  const referer = c.req.header('referer');
  // Every batch passes here: a visitor's (no cookie, no parameter) costs two header reads and nothing thrown.
  if (!token && referer?.includes(`${PREVIEW_PARAM}=`) && URL.canParse(referer)) token = new URL(referer).searchParams.get(PREVIEW_PARAM) ?? undefined;
  return !!token && !('error' in (await checkPreview(c.env, token)));
}

/** The cookie that keeps a preview for the next pages, for as long as its link lives. */
export const previewCookie = (p: ActivePreview, secure: boolean, now = Date.now()) =>
  `${PREVIEW_COOKIE}=${p.token}; Path=/; Max-Age=${Math.max(1, Math.floor((p.exp - now) / 1000))}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
