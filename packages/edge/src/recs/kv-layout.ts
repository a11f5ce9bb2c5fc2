// The KV layout of the materialized recommendation statistics, keys and values: recs/materialize.ts writes
// them, recs/stats-read.ts reads them. Site and product ids are data: each is URI-encoded, so a `:`, `|`, `/` or `%` in one can never
// run into the next field, and one too long for KV's 512-byte keys is replaced by `#` + its SHA-256 (an encoded
// id never starts with `#`: encodeURIComponent writes it `%23`). Encoded ids are ASCII, so length is bytes.
import { sha256Hex } from '../hash/sha256.js';
import type { PairKind } from './stats.js';

/** Encoded ids longer than this are hashed: the longest key, two hashed parts, stays far under 512 bytes. */
const PART_MAX = 200;

/** One field of a key: the id URI-encoded, or `#<sha256>` when that is longer than PART_MAX. */
export async function keyPart(id: string): Promise<string> {
  const encoded = encodeURIComponent(id);
  return encoded.length <= PART_MAX ? encoded : `#${await sha256Hex(id)}`;
}

/** The site's top lists (popular and trending), one value. */
export const topKey = async (site: string) => `recs:${await keyPart(site)}:top`;

/** One product's partner list of one kind (viewed or bought together). */
export const partnerKey = async (site: string, kind: PairKind, item: string) => `recs:${await keyPart(site)}:${kind}:${await keyPart(item)}`;

/** A ranked list as stored: `[id, score]` pairs, highest first. */
export type Ranked = [id: string, score: number][];

/** The top lists' value: when they were read from D1 (ms), and the lists. */
export interface TopValue {
  v: 1;
  at: number;
  popular: Ranked;
  trending: Ranked;
}

const isRanked = (v: unknown): v is Ranked =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'number');

/** A stored partner list, or null when the value is not one (never written, or another layout). */
export const asPartners = (v: unknown): Ranked | null => (isRanked(v) ? v : null);

/** Stored top lists, or null when the value is not one. */
export const asTop = (v: unknown): TopValue | null => {
  const t = v as Partial<TopValue> | null;
  return t && t.v === 1 && typeof t.at === 'number' && isRanked(t.popular) && isRanked(t.trending) ? (t as TopValue) : null;
};
