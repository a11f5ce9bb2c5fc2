// Deterministic bucketing: the same experiment and id always land in the same place.

/** FNV-1a over UTF-16 code units, then murmur3's fmix32 finalizer: FNV alone clusters near-identical ids. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) for (namespace, id). */
export const bucket = (namespace: string, id: string) => hash32(`${namespace}\u0000${id}`) / 2 ** 32;

/** The arm whose cumulative weight (out of 100) covers the bucket. */
export function pickArm<A extends { id: string; weight: number }>(arms: readonly A[], u: number): A {
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight / 100;
    if (u < edge) return arm;
  }
  return arms[arms.length - 1]!;
}

/** A short, stable version of a JSON value (keys sorted), e.g. for the config that made a decision. */
export function versionOf(value: unknown): string {
  const canonical = JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
  return hash32(canonical).toString(16).padStart(8, '0') + hash32(canonical, 0x9747b28c).toString(16).padStart(8, '0');
}
