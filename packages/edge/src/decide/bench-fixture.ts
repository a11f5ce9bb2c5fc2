// A large, realistic config and profile for benchmarking decide(): 50 segments over every kind of fact,
// 20 slots × 10 variants = 200 variants, an experiment per slot pair, a holdout.
import { compileConfig } from '../config/compile.js';
import { configSchema, type AttuneConfigInput } from '../contract/config.js';
import type { Rule } from '../contract/rules.js';
import { emptyProfile } from '../profile/apply.js';

export { decide } from './decide.js';

const DAY = 86_400_000;

export function benchFixture(now = Date.parse('2026-11-23T12:00:00Z')) {
  const kinds: ((i: number) => Rule)[] = [
    (i) => ({ trait: `t${i % 7}`, eq: `v${i % 3}` }),
    (i) => ({ answer: `q${i % 5}`, in: [`a${i % 4}`, `a${(i + 1) % 4}`] }),
    (i) => ({ event: `E${i % 6}`, withinDays: 7 + (i % 20), gte: 1 + (i % 4) }),
    (i) => ({ commerce: 'orders', gte: i % 3 }),
    (i) => ({ affinity: `category:c${i % 8}`, gte: (i % 5) / 2 }),
    (i) => ({ all: [{ daysSince: `E${i % 6}`, lte: 10 + i }, { not: { context: 'device', eq: 'tablet' } }] }),
    (i) => ({ any: [{ topAffinity: 'category', eq: `c${i % 8}` }, { hoursSince: 'Product Added', gte: 1 }] }),
  ];
  const segments = Array.from({ length: 50 }, (_, i) => ({
    id: `s${i}`,
    // Every fifth segment builds on an earlier one, as real configs do.
    rule: i % 5 === 4 ? { all: [{ segment: `s${i - 1}` }, kinds[i % kinds.length]!(i)] } : kinds[i % kinds.length]!(i),
  }));
  const slots = Array.from({ length: 20 }, (_, s) => ({
    id: `slot${s}`,
    default: { title: `default ${s}` },
    variants: Array.from({ length: 10 }, (_, v) => ({
      id: `slot${s}-v${v}`,
      priority: (v * 7) % 10,
      audience: v % 3 === 2 ? { all: [{ segment: `s${(s * 10 + v) % 50}` }, { segment: `s${(s + v) % 50}` }] } : { segment: `s${(s * 10 + v) % 50}` },
      content: { title: `slot ${s} variant ${v}`, text: 'x'.repeat(40) },
    })),
  }));
  const experiments = Array.from({ length: 10 }, (_, e) => ({
    id: `exp${e}`,
    slot: `slot${e * 2}`,
    arms: [{ id: 'control', weight: 50 }, { id: 'b', weight: 50, variant: `slot${e * 2}-v1` }],
  }));
  const input: AttuneConfigInput = { sites: { demo: { writeKey: 'demo' } }, segments, slots, experiments, holdout: { percent: 5 } };
  const compiled = compileConfig(configSchema.parse(input));

  const p = emptyProfile('demo', 'a:bench', new Date(now - 40 * DAY).toISOString());
  p.consent = { analytics: true, personalization: true, updatedAt: p.firstSeen };
  p.traits = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`t${i}`, `v${i % 3}`]));
  p.answers = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`q${i}`, { value: `a${i % 4}`, at: p.firstSeen }]));
  for (let e = 0; e < 6; e++) {
    const daily: Record<string, number> = {};
    for (let d = 0; d < 60; d += 3) daily[new Date(now - d * DAY).toISOString().slice(0, 10)] = 1 + ((d + e) % 3);
    p.counters[`E${e}`] = { count: 40, firstAt: p.firstSeen, lastAt: new Date(now - e * DAY).toISOString(), daily };
  }
  p.counters['Product Added'] = { count: 2, firstAt: p.firstSeen, lastAt: new Date(now - 3 * 3_600_000).toISOString(), daily: {} };
  p.affinities.category = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, { score: i, at: new Date(now - i * DAY).toISOString() }]));
  p.commerce.orders = 1;
  return { compiled, profile: p, now };
}
