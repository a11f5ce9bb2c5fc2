// Non-cryptographic string hashes, in one place: fast, synchronous, the same in the Worker, Node and a browser.
// Not for anything an attacker must not forge or invert (sha256.ts is). They run over UTF-16 code units, not
// UTF-8 bytes. Every value here is stored or sent somewhere (an experiment arm, a messageId, a version), so
// none may change: src/hash/stored-values.test.ts pins them.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, unsigned. `basis` and `prime` other than FNV's give an independent second lane. */
export function fnv1a32(s: string, basis = FNV_OFFSET, prime = FNV_PRIME): number {
  let h = basis;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), prime);
  return h >>> 0;
}

/** murmur3's fmix32 finalizer: spreads every input bit over the output (FNV alone clusters near-identical ids). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucketing and versions: FNV-1a from `seed`, then fmix32. Uniform over [0, 2³²). */
export const hash32 = (s: string, seed = FNV_OFFSET): number => fmix32(fnv1a32(s, seed));

/** 8 lower-case hex digits. */
export const hex32 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/**
 * 64 bits of a text as two 32-bit halves, by cyrb53's mixing (two multiply lanes, cross-mixed at the end):
 * fewer collisions than one FNV lane where a collision costs something, e.g. two events sent without a
 * messageId taken for one.
 */
export function cyrb64(text: string): [hi: number, lo: number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h2 >>> 0, h1 >>> 0];
}
