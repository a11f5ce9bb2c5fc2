// The KV copies of the recommendation statistics (recs/materialize.ts → recs/stats-read.ts): what D1 holds,
// under keys that keep ids as data, rewritten by one claimed pass at a time, and never losing a mark.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ID_MAX, materializeStats, PASS_EVERY_MS, settleStats, TOP_EVERY_MS, touchedBy, type Touched } from '../../src/recs/materialize.js';
import { ensureSchema } from '../../src/recs/store.js';
import { forgetStats, loadStats } from '../../src/recs/stats-read.js';
import type { PairKind } from '../../src/recs/stats.js';
import { uid } from './helpers.js';
import { statsFromD1 } from './recs-helpers.js';

const T0 = Date.UTC(2030, 0, 1); // an injected clock: claims compare the times they were given

async function seed(site: string, items: [string, number, number][], pairs: [PairKind, string, string, number][]) {
  await ensureSchema(env.EVENTS);
  await env.EVENTS.batch([
    ...items.map(([item, popular, trend]) =>
      env.EVENTS.prepare('INSERT INTO rec_items (site, item, popular, trend) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET popular = popular + excluded.popular, trend = trend + excluded.trend').bind(site, item, popular, trend),
    ),
    ...pairs.map(([kind, a, b, n]) => env.EVENTS.prepare('INSERT INTO rec_pairs (site, kind, a, b, n) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET n = n + excluded.n').bind(site, kind, a, b, n)),
  ]);
}

/** What a request reads now from KV, for these seeds (nothing held from before). */
async function served(site: string, seeds: Touched[], now: number) {
  forgetStats();
  const stats = await loadStats(env.PROFILES, site, seeds.map(([kind, item]) => ({ kind, item })), now);
  return { popular: [...stats.popular], trending: [...stats.trending], lists: seeds.map(([kind, item]) => stats.together(kind, item)) };
}

/** KV with `put` replaced (the rest as it is). */
const kvWith = (put: (key: string, value: string) => Promise<void>) =>
  new Proxy(env.PROFILES, { get: (t, name) => (name === 'put' ? put : (Reflect.get(t, name) as unknown)) }) as KVNamespace;

describe('materializeStats', () => {
  it('copies the top lists and the touched partner lists as D1 holds them, whatever the ids hold', async () => {
    const site = `site|with:odd/%${uid()}`;
    const odd = ['a|b', 'x:y/z', '__proto__', 'constructor', '%41', '#hash', 'é ü', 'L'.repeat(300), 'L'.repeat(301)];
    const tooLong = 'x'.repeat(ID_MAX + 1); // no catalog product has such an id: kept out of the copies
    await seed(
      site,
      [...odd.map((id, i): [string, number, number] => [id, 10 + i, 100 - i]), [tooLong, 1000, 1000]],
      odd.flatMap((a, i) => [
        ['viewed', a, odd[(i + 1) % odd.length]!, i + 1],
        ['viewed', a, odd[(i + 2) % odd.length]!, 1],
        ['viewed', a, tooLong, 50],
        ['bought', a, odd[(i + 3) % odd.length]!, 2],
      ]) as [PairKind, string, string, number][],
    );
    const touched = odd.flatMap((id): Touched[] => [['viewed', id], ['bought', id]]);
    const r = await materializeStats(env.EVENTS, env.PROFILES, site, touched, T0);
    expect(r).toEqual({ top: true, written: touched.length, failed: 0 });

    const got = await served(site, touched, T0);
    const want = await statsFromD1(site, touched.map(([kind, item]) => ({ kind, item })));
    expect(got.popular).toEqual([...want.popular]);
    expect(got.trending).toEqual([...want.trending]);
    expect(got.lists).toEqual(touched.map(([kind, item]) => want.together(kind, item)));
    expect(got.lists.flat().map(([b]) => b)).not.toContain(tooLong);
    expect(got.popular.map(([id]) => id)).not.toContain(tooLong);
    const list = (kind: PairKind, item: string) => got.lists[touched.findIndex(([k, i]) => k === kind && i === item)];
    expect(list('viewed', '__proto__')).toEqual([['constructor', 3], ['%41', 1]]);
    expect(list('viewed', 'a|b')).toEqual([['__proto__', 1], ['x:y/z', 1]]);
    expect(list('viewed', 'L'.repeat(300))).toEqual([['a|b', 1]]); // its other partner's id is too long to be shown

    const keys = (await env.PROFILES.list({ prefix: 'recs:' })).keys.map((k) => k.name).filter((k) => k.startsWith(`recs:${encodeURIComponent(site)}:`));
    expect(keys).toHaveLength(touched.length + 1);
    for (const k of keys) expect(new TextEncoder().encode(k).length).toBeLessThanOrEqual(512);
    // the two long ids: hashed, each to its own key
    expect(keys.filter((k) => /:#[0-9a-f]{64}$/.test(k))).toHaveLength(4);
  });

  it('rewrites top lists once a minute and partner lists once a pass; a mark without the claim waits for the next pass', async () => {
    const site = uid('site');
    await seed(site, [['a', 5, 5], ['b', 3, 3]], [['viewed', 'a', 'b', 2], ['viewed', 'b', 'a', 2]]);
    expect(await materializeStats(env.EVENTS, env.PROFILES, site, [['viewed', 'a']], T0)).toEqual({ top: true, written: 1, failed: 0 });

    await seed(site, [['c', 9, 9]], [['viewed', 'b', 'c', 4], ['viewed', 'c', 'b', 4]]);
    const blocked = await materializeStats(env.EVENTS, env.PROFILES, site, [['viewed', 'b'], ['viewed', 'c']], T0 + 1_000);
    expect(blocked).toEqual({ top: false, written: 0, failed: 0, retryInMs: PASS_EVERY_MS + 100 });
    expect((await served(site, [['viewed', 'b']], T0 + 1_000)).lists).toEqual([[]]); // not written yet

    const pass = await materializeStats(env.EVENTS, env.PROFILES, site, [], T0 + 1_000 + PASS_EVERY_MS);
    expect(pass).toEqual({ top: false, written: 2, failed: 0 });
    const after = await served(site, [['viewed', 'b'], ['viewed', 'c']], T0 + 7_000);
    expect(after.lists).toEqual([[['c', 4], ['a', 2]], [['b', 4]]]);
    expect(after.popular.map(([id]) => id)).toEqual(['a', 'b']); // top lists: still the first minute's

    expect((await materializeStats(env.EVENTS, env.PROFILES, site, [], T0 + TOP_EVERY_MS)).top).toBe(true);
    expect((await served(site, [], T0 + TOP_EVERY_MS)).popular.map(([id]) => id)).toEqual(['c', 'a', 'b']);
  });

  it('keeps a mark made while a pass writes, so the pass after writes the newer list', async () => {
    const site = uid('site');
    await seed(site, [['a', 1, 1]], [['bought', 'a', 'b', 2]]);
    let meanwhile: Promise<unknown> | undefined;
    // While the pass writes a's list, another batch adds a pair of a and marks it (that consumer has no claim).
    const kv = kvWith(async (key, value) => {
      meanwhile ??= seed(site, [], [['bought', 'a', 'c', 3]]).then(() => materializeStats(env.EVENTS, env.PROFILES, site, [['bought', 'a']], T0 + 100));
      await meanwhile;
      await env.PROFILES.put(key, value);
    });
    expect(await materializeStats(env.EVENTS, kv, site, [['bought', 'a']], T0)).toEqual({ top: true, written: 1, failed: 0, retryInMs: PASS_EVERY_MS + 100 });
    expect((await served(site, [['bought', 'a']], T0)).lists).toEqual([[['b', 2]]]);
    expect(await materializeStats(env.EVENTS, env.PROFILES, site, [], T0 + PASS_EVERY_MS + 100)).toMatchObject({ written: 1 });
    expect((await served(site, [['bought', 'a']], T0)).lists).toEqual([[['c', 3], ['b', 2]]]);
  });

  it('keeps the mark of a list whose KV write failed, and settleStats writes it on a later pass', async () => {
    const site = uid('site');
    await seed(site, [['a', 1, 1], ['b', 1, 1]], [['viewed', 'a', 'b', 2], ['viewed', 'b', 'a', 2]]);
    let failing = true;
    const kv = kvWith(async (key, value) => {
      if (failing && key.endsWith(':viewed:b')) throw new Error('KV PUT failed: 429 Too Many Requests');
      await env.PROFILES.put(key, value);
    });
    const first = await materializeStats(env.EVENTS, kv, site, [['viewed', 'a'], ['viewed', 'b']], T0);
    expect(first).toEqual({ top: true, written: 1, failed: 1, retryInMs: PASS_EVERY_MS + 100 });
    expect((await served(site, [['viewed', 'b']], T0)).lists).toEqual([[]]);

    let clock = T0;
    const waited: number[] = [];
    const wait = async (ms: number) => {
      waited.push(ms);
      clock += ms;
      failing = waited.length < 2; // the next pass fails again, the one after succeeds
    };
    const last = await settleStats(env.EVENTS, kv, site, first, { wait, now: () => clock });
    expect(last).toEqual({ top: false, written: 1, failed: 0 });
    expect(waited).toEqual([PASS_EVERY_MS + 100, PASS_EVERY_MS + 100]);
    expect((await served(site, [['viewed', 'b']], clock)).lists).toEqual([[['a', 2]]]);
  });

  it('names bad input', async () => {
    await expect(materializeStats(env.EVENTS, env.PROFILES, 'demo', [['liked' as PairKind, 'a']], T0)).rejects.toThrow('materializeStats: touched[0]: kind "liked" is not "viewed" or "bought"');
    await expect(materializeStats(env.EVENTS, env.PROFILES, '', [], T0)).rejects.toThrow('materializeStats: site must be a non-empty string');
  });
});

describe('touchedBy', () => {
  it('lists each partner list the applied derivations changed, once', () => {
    const d = (pairs: [PairKind, string, string, number][]) => ({ claim: 'c', items: [], pairs });
    expect(
      touchedBy([
        d([['viewed', 'a', 'b', 1], ['viewed', 'b', 'a', 1]]),
        d([['viewed', 'a', 'c', 1], ['viewed', 'c', 'a', 1], ['bought', 'a', 'c', 1], ['bought', 'c', 'a', 1]]),
        d([]),
      ]),
    ).toEqual([['viewed', 'a'], ['viewed', 'b'], ['viewed', 'c'], ['bought', 'a'], ['bought', 'c']]);
  });
});
