// Segment discovery on synthetic shoppers whose groups are known: the clusters must come back, each
// with a rule that the config validator accepts and that picks out that group.
import { describe, expect, it } from 'vitest';
import config from '../../../../../demo-site/attune.config.json';
import { validateConfig } from '../../config/validate.js';
import { discoveryReportSchema } from '../../contract/reports.js';
import { seededRandom } from '../../stats/random.js';
import { discover } from './discover.js';
import type { ProfileFeatures } from './features.js';
import { quintileScores, rfmGroup } from './rfm.js';

const random = seededRandom(42);
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

type Group = 'champions' | 'browsers' | 'lapsed' | 'quizzers';
function shoppers(group: Group, n: number): (ProfileFeatures & { group: Group })[] {
  return Array.from({ length: n }, (_, i) => {
    const f = {
      champions: () => ({ recencyDays: between(0, 10), orders: between(4, 9), revenue: between(200, 600), productViews: between(20, 45), cartAdds: between(5, 12), quizAnswers: 4 }),
      browsers: () => ({ recencyDays: between(0, 20), orders: 0, revenue: 0, productViews: between(8, 30), cartAdds: between(0, 2), quizAnswers: 0 }),
      lapsed: () => ({ recencyDays: between(120, 300), orders: 1, revenue: between(25, 70), productViews: between(1, 5), cartAdds: 1, quizAnswers: 0 }),
      quizzers: () => ({ recencyDays: between(0, 5), orders: 0, revenue: 0, productViews: 0, cartAdds: 0, quizAnswers: between(6, 8) }),
    }[group]();
    return { id: `${group}-${i}`, group, ...f, daysSinceLastOrder: f.orders ? f.recencyDays : null };
  });
}

const everyone = [...shoppers('champions', 150), ...shoppers('browsers', 300), ...shoppers('lapsed', 200), ...shoppers('quizzers', 12)];
const report = discover('demo', everyone);

describe('segment discovery', () => {
  it('answers in the contract shape and picks k by silhouette', () => {
    expect(() => discoveryReportSchema.parse(report)).not.toThrow();
    expect(report.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5, 6]);
    const best = Math.max(...report.candidates.map((c) => c.silhouette));
    expect(report.candidates.find((c) => c.k === report.k)!.silhouette).toBe(best);
    expect(report.k).toBe(4);
  });

  it('recovers the known groups, each with a rule that picks it out', () => {
    for (const group of ['champions', 'browsers', 'lapsed'] as const) {
      const size = everyone.filter((p) => p.group === group).length;
      const seg = report.segments.find((s) => s.size === size);
      expect(seg, `a segment of ${size} (${group})`).toBeDefined();
      expect(seg!.tooSmall).toBe(false);
      expect(seg!.homogeneity.silhouette).toBeGreaterThan(0.5);
      expect(seg!.distinctness.distance).toBeGreaterThan(1);
      expect(seg!.ruleFit.recall).toBeGreaterThan(0.75);
      expect(seg!.ruleFit.precision).toBeGreaterThan(0.9);
    }
    const champions = report.segments.find((s) => s.size === 150)!;
    expect(champions.means.orders).toBeGreaterThan(4);
    expect(champions.rfm.f).toBeGreaterThan(report.segments.find((s) => s.size === 200)!.rfm.f);
    expect(champions.name).toMatch(/repeat buyers|high spenders|cart builders|heavy browsers|quiz takers/);
    expect(JSON.stringify(champions.rule)).toMatch(/"gte"/);
  });

  it('flags a cluster too small to act on (under 50 profiles or 5%)', () => {
    const tiny = report.segments.find((s) => s.size === 12);
    expect(tiny).toBeDefined();
    expect(tiny!.tooSmall).toBe(true);
    expect(report.segments.filter((s) => s.tooSmall)).toHaveLength(1);
  });

  it('every suggested rule passes validateConfig when pasted into a segment', () => {
    expect(report.segments.length).toBeGreaterThan(0);
    for (const s of report.segments) {
      const pasted = { ...config, segments: [...config.segments, { id: `suggested-${s.id}`, name: s.name, rule: s.rule }] };
      const v = validateConfig(pasted);
      expect(v.ok, `${JSON.stringify(s.rule)}: ${v.ok ? '' : JSON.stringify(v.errors)}`).toBe(true);
    }
  });

  it('counts the classic RFM groups', () => {
    const total = report.rfmGroups.reduce((n, g) => n + g.size, 0);
    expect(total).toBe(everyone.length);
    expect(report.rfmGroups.find((g) => g.name === 'not yet buyers')!.size).toBe(312);
  });

  // Math.min(...values) over every profile overflowed the call stack past ~120,000 profiles (a 500 for a big site).
  it('answers for 150,000 profiles, from samples, in the same groups', () => {
    const many = Array.from({ length: 150_000 }, (_, i) => ({ ...everyone[i % everyone.length]!, id: `p${i}` }));
    const t = performance.now();
    const big = discover('demo', many);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(big.profiles).toBe(150_000);
    expect(big.sampled).toEqual({ fit: 2000, silhouette: 1000 });
    expect(big.segments.reduce((n, s) => n + s.size, 0)).toBe(150_000);
    expect(big.k).toBeGreaterThanOrEqual(3);
    // the champions, browsers and lapsed come back, each at its share of the copies (within 1%)
    for (const group of ['champions', 'browsers', 'lapsed'] as const) {
      const expected = (everyone.filter((p) => p.group === group).length / everyone.length) * 150_000;
      expect(big.segments.some((s) => Math.abs(s.size - expected) < expected * 0.01), group).toBe(true);
    }
  });

  it('explains why there are no suggestions for too few profiles', () => {
    const few = discover('demo', everyone.slice(0, 5));
    expect(few.k).toBeNull();
    expect(few.segments).toEqual([]);
    expect(few.note).toMatch(/too few/);
  });
});

describe('RFM scores', () => {
  it('scores quintiles by mid-rank, ties sharing a score, recency reversed', () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // four tied zeros sit at mid-rank 2 of 5 → the 40th percentile → score 3
    expect(quintileScores([0, 0, 0, 0, 10])).toEqual([3, 3, 3, 3, 5]);
    expect(quintileScores([1, 100], true)).toEqual([4, 2]);
  });

  it('names the groups', () => {
    expect(rfmGroup({ r: 5, f: 5, m: 4 }, true)).toBe('champions');
    expect(rfmGroup({ r: 1, f: 5, m: 5 }, true)).toBe('at risk');
    expect(rfmGroup({ r: 5, f: 1, m: 1 }, true)).toBe('new customers');
    expect(rfmGroup({ r: 1, f: 1, m: 1 }, false)).toBe('not yet buyers');
  });
});
