// The draft config a preview link renders with: validated when the link is made (POST /v1/preview), kept in KV
// under the link's id for exactly as long as the link lives, and compiled once per isolate. A draft is never
// served to anyone but the holder of its link, and never becomes the live config by being previewed.
import type { AttuneConfig } from '../contract/config.js';
import { compileConfig, type CompiledConfig } from '../config/compile.js';

const draftKey = (id: string) => `admin:preview-draft:${id}`;
/** Seconds until `exp`, as a TTL (KV refuses under 60 s), as the link's own entry (preview-store.ts). */
const ttl = (exp: number, now: number) => Math.max(61, Math.ceil((exp - now) / 1000));

/** Compiled drafts by link id: a preview page and its next pages compile once. Few marketers, few links. */
const compiled = new Map<string, { config: CompiledConfig; exp: number }>();
const MAX_HELD = 16;

/** Stores the validated draft (`validateConfig`'s output) for the link `id`, until the link expires. */
export async function saveDraft(kv: KVNamespace, id: string, config: AttuneConfig, exp: number, now = Date.now()): Promise<void> {
  await kv.put(draftKey(id), JSON.stringify(config), { expirationTtl: ttl(exp, now) });
}

/**
 * The compiled draft of link `id`, or null when KV no longer holds it (the link expired). The caller has
 * checked the link (signature, expiry, revocation) first: this cache never outlives the link's `exp`.
 */
export async function draftOf(kv: KVNamespace, id: string, exp: number, now = Date.now()): Promise<CompiledConfig | null> {
  for (const [k, v] of compiled) if (v.exp <= now) compiled.delete(k);
  const held = compiled.get(id);
  if (held) return held.config;
  const stored = await kv.get<AttuneConfig>(draftKey(id), 'json');
  if (!stored) return null;
  const config = compileConfig(stored);
  if (compiled.size >= MAX_HELD) compiled.delete(compiled.keys().next().value!);
  compiled.set(id, { config, exp });
  return config;
}

/** Drops a revoked link's draft (the deny-list already refuses the link; this frees the space at once). */
export async function dropDraft(kv: KVNamespace, id: string): Promise<void> {
  compiled.delete(id);
  await kv.delete(draftKey(id));
}
