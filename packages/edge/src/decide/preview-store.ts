// Preview links in KV: each issued link is listed until it expires, and a revoked one is refused until it
// would have expired anyway (the deny-list entry lives exactly as long as the link). A deny-list rather
// than an allow-list, so a fresh link works at once wherever KV has not caught up yet.
import { previewSecret, verifyPreview, type PreviewClaims } from './preview.js';
import type { Preview } from './decide.js';

const linkKey = (id: string) => `admin:preview:${id}`;
const revokedKey = (id: string) => `admin:preview-revoked:${id}`;
/** Seconds until `exp`, as a TTL: relative, so it holds whatever KV's own clock says; KV refuses under 60 s. */
const ttl = (exp: number, now: number) => Math.max(61, Math.ceil((exp - now) / 1000));

export interface PreviewLink extends PreviewClaims {
  createdAt: string;
  /** The page the link opens */
  path?: string;
}

export async function recordPreview(kv: KVNamespace, claims: PreviewClaims, now = Date.now(), extra: { path?: string } = {}): Promise<void> {
  const link: PreviewLink = { ...claims, ...extra, createdAt: new Date(now).toISOString() };
  await kv.put(linkKey(claims.id), JSON.stringify(link), { expirationTtl: ttl(claims.exp, now) });
}

/** @returns the revoked link, or null when no live link has this id */
export async function revokePreview(kv: KVNamespace, id: string, now = Date.now()): Promise<PreviewLink | null> {
  const link = await kv.get<PreviewLink>(linkKey(id), 'json');
  if (!link || link.exp <= now) return null;
  await kv.put(revokedKey(id), '1', { expirationTtl: ttl(link.exp, now) });
  await kv.delete(linkKey(id));
  return link;
}

/** Live links, soonest to expire first. */
export async function livePreviews(kv: KVNamespace, now = Date.now()): Promise<PreviewLink[]> {
  const { keys } = await kv.list({ prefix: linkKey('') });
  const links = await Promise.all(keys.map((k) => kv.get<PreviewLink>(k.name, 'json')));
  return links.filter((l): l is PreviewLink => !!l && l.exp > now).sort((a, b) => a.exp - b.exp);
}

/** What a link grants here: signed by this deployment's preview key, unexpired and not revoked. */
export async function checkPreview(
  env: { PROFILES: KVNamespace; ATTUNE_PREVIEW_KEY?: string; ATTUNE_ADMIN_TOKEN?: string; ATTUNE_ENV?: string },
  token: string,
  now = Date.now(),
): Promise<{ preview: Preview; claims: PreviewClaims } | { error: string }> {
  const secret = previewSecret(env);
  if (!secret) return { error: 'previews need the ATTUNE_PREVIEW_KEY (or ATTUNE_ADMIN_TOKEN) secret to be set' };
  const v = await verifyPreview(secret, token, now);
  if ('error' in v) return v;
  if ((await env.PROFILES.get(revokedKey(v.claims.id))) !== null) return { error: 'the preview link was revoked: ask for a new one' };
  return v;
}
