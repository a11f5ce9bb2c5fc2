// For-you and quiz with 5,000 products: served from the precomputed candidate lists, within the issue's
// 2 ms, and still what scoring every product would serve. In Node, not workerd: inside workerd the clock
// does not move during synchronous work, so a timing assertion there could never fail.
import { describe, expect, it } from 'vitest';
import { servingFixture } from '../../../../bench/recs.js';
import { exhaustive } from '../../src/recs/personal.js';
import { recommend } from '../../src/recs/recommend.js';
import { STRATEGIES } from '../../src/recs/strategies.js';

describe('personal recommendations with 5,000 products', () => {
  // 600 shoppers keep the setup to seconds; their statistics still give every sampled visitor neighbours.
  const { config, catalog, shoppers, stats, profiles, now } = servingFixture(7, 600);
  const sample = shoppers.slice(0, 200);
  const ask = (id: string, strategy: string, all = false) =>
    recommend({ catalog, config, profile: profiles.get(id)!, stats, now, strategy, limit: 8 }, all ? { ...STRATEGIES, ...exhaustive } : STRATEGIES).items.map((i) => i.product.id);

  it('for-you serves in under 2 ms of CPU (median of 400 requests, lists built, after warm-up)', () => {
    // CPU time, as the goal says: other processes on a busy machine do not count against it.
    const times: number[] = [];
    for (let round = 0; round < 3; round++)
      for (const s of sample) {
        const t = process.cpuUsage();
        JSON.stringify(ask(s.id, 'for-you'));
        const d = process.cpuUsage(t);
        if (round > 0) times.push((d.user + d.system) / 1000);
      }
    times.sort((a, b) => a - b);
    expect(times[200]).toBeGreaterThan(0); // the clock moves here
    expect(times[200]).toBeLessThan(2);
  });

  it('for-you and quiz serve (nearly) what scoring every product serves', () => {
    for (const [strategy, floor] of [['for-you', 0.97], ['quiz', 0.99]] as const) {
      let same = 0;
      for (const s of sample) {
        const reference = ask(s.id, strategy, true);
        same += ask(s.id, strategy).filter((id) => reference.includes(id)).length / Math.max(1, reference.length);
      }
      expect(same / sample.length, strategy).toBeGreaterThanOrEqual(floor);
    }
  });
});
