// Names of things, in one place: writer (Durable Object) names and KV keys of the read model.

/** A profile is owned by the writer of its first id: `u:<userId>` for known users, `a:<anonymousId>` otherwise. */
export const routeKey = (e: { userId?: string | null | undefined; anonymousId?: string | undefined }) =>
  e.userId ? `u:${e.userId}` : `a:${e.anonymousId}`;

/**
 * The keys an alias's `previousId` may stand for. Segment lets it be an earlier user id or an anonymous id, so
 * both are linked — except for `sha256:<hex>` ids, which are user ids by Attune's own convention (the key
 * `attune import` gives a person known by email or phone, cli/import-ids.ts): linking an `a:` key too would
 * open a second Durable Object per imported alias for an id no browser ever sends.
 */
export const aliasKeys = (previousId: string): string[] => (/^sha256:[0-9a-f]{64}$/.test(previousId) ? [`u:${previousId}`] : [`a:${previousId}`, `u:${previousId}`]);

export const writerName = (site: string, key: string) => `${site}|${key}`;

/** KV: the profile JSON. */
export const kvProfile = (site: string, profileId: string) => `p:${site}:${profileId}`;
/** KV: which profile an anonymous id (`a:…`) or user id (`u:…`) belongs to. */
export const kvId = (site: string, key: string) => `id:${site}:${key}`;

/**
 * The profile writers' namespace, typed by the Worker's generated Env rather than by importing writer.ts: the
 * writer itself names its peers through this module, and an import back would close a circle.
 */
export type WriterNamespace = Cloudflare.Env['PROFILE_WRITER'];

export function writer(ns: WriterNamespace, site: string, key: string) {
  return ns.get(ns.idFromName(writerName(site, key)));
}
