// What a request reads of the recommendation statistics: the KV copies that recs/materialize.ts keeps, never
// D1 — D1 lives in one region, and a visitor far from it would wait a round trip across the world before the
// first byte. Each isolate holds what it read for a minute: the top lists per site (one key) and the partner
// lists of the few seed products a request asks about (one bulk read for all of them).
import { asPartners, asTop, partnerKey, topKey, type Ranked } from './kv-layout.js';
import type { PairKind, RecStats } from './stats.js';

const CACHE_MS = 60_000;
/** KV's bulk get reads at most 100 keys. */
const BULK = 100;
/** Partner lists held per isolate before stale ones are dropped. */
const HELD = 20_000;

interface Top {
  at: number;
  popular: ReadonlyMap<string, number>;
  trending: ReadonlyMap<string, number>;
}
const tops = new Map<string, Top>();
/** by KV key (site, kind and product are in it) */
const partners = new Map<string, { at: number; list: Ranked }>();

async function readTop(kv: KVNamespace, site: string, now: number): Promise<Top> {
  const stored = await kv.get(await topKey(site), 'json');
  const top = asTop(stored);
  if (stored !== null && !top) console.error(`attune: the stored top lists of site ${site} are not in the expected layout; serving none until the next rewrite`);
  // Fresh maps only when read: strategies and candidate lists cache their orders per map (WeakMaps).
  return { at: now, popular: new Map(top?.popular), trending: new Map(top?.trending) };
}

async function readPartners(kv: KVNamespace, keys: string[], now: number): Promise<void> {
  for (let i = 0; i < keys.length; i += BULK) {
    const part = keys.slice(i, i + BULK);
    const got = await kv.get<unknown>(part, 'json');
    // A product nobody paired yet has no key: an empty list, held like any other.
    for (const key of part) partners.set(key, { at: now, list: asPartners(got.get(key) ?? null) ?? [] });
  }
}

/** The statistics a request needs: top lists, and the partners of `seeds` for the pair kinds asked for. */
export async function loadStats(kv: KVNamespace, site: string, seeds: readonly { kind: PairKind; item: string }[], now = Date.now()): Promise<RecStats> {
  const keyed = await Promise.all(seeds.map(async (s) => ({ ...s, key: await partnerKey(site, s.kind, s.item) })));
  let top = tops.get(site);
  const reads: Promise<void>[] = [];
  if (!top || now - top.at > CACHE_MS)
    reads.push(
      readTop(kv, site, now).then((t) => {
        top = t;
        tops.set(site, t);
      }),
    );
  const stale = [...new Set(keyed.map((s) => s.key))].filter((key) => {
    const hit = partners.get(key);
    return !hit || now - hit.at > CACHE_MS;
  });
  if (stale.length) reads.push(readPartners(kv, stale, now));
  await Promise.all(reads);
  const lists = new Map(keyed.map((s) => [JSON.stringify([s.kind, s.item]), partners.get(s.key)?.list ?? []]));
  if (partners.size > HELD) for (const [k, v] of partners) if (now - v.at > CACHE_MS) partners.delete(k);
  return {
    popular: top!.popular,
    trending: top!.trending,
    together: (kind, item) => lists.get(JSON.stringify([kind, item])) ?? [],
  };
}

/** For tests: forget what this isolate read. */
export function forgetStats() {
  tops.clear();
  partners.clear();
}
