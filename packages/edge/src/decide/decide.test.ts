import { describe, expect, it } from 'vitest';
import { compileConfig } from '../config/compile.js';
import { configSchema, type AttuneConfigInput } from '../contract/config.js';
import type { Decision } from '../contract/decide.js';
import type { Profile } from '../contract/profile.js';
import { emptyProfile } from '../profile/apply.js';
import { mergeProfiles } from '../profile/merge.js';
import { decide, type DecideInput } from './decide.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const GRANTED = { analytics: true, personalization: true };

const base: AttuneConfigInput = {
  sites: { demo: { writeKey: 'demo' } },
  segments: [
    { id: 'dry', rule: { answer: 'skin-type', eq: 'dry' } },
    { id: 'buyer', rule: { commerce: 'orders', gte: 1 } },
  ],
  slots: [
    {
      id: 'hero',
      default: { title: 'Welcome' },
      variants: [
        { id: 'hero-buyer', audience: { segment: 'buyer' }, priority: 5, content: { title: 'Welcome back' } },
        { id: 'hero-dry', audience: { segment: 'dry' }, priority: 10, content: { title: 'For dry skin' } },
        { id: 'hero-dry-2', audience: { segment: 'dry' }, priority: 10, content: { title: 'Also for dry skin' } },
        { id: 'hero-mobile', audience: { context: 'device', eq: 'mobile' }, priority: 1, content: { title: 'On the go' } },
        { id: 'hero-xmas', priority: 100, schedule: { from: '2026-12-20T00:00:00Z', until: '2026-12-27T00:00:00Z' }, content: { title: 'Merry' } },
      ],
    },
    { id: 'banner', default: { text: 'Free shipping' }, variants: [{ id: 'banner-b', content: { text: 'Gift wrap' } }] },
  ],
};

const compiled = (over: Partial<AttuneConfigInput> = {}) => compileConfig(configSchema.parse({ ...base, ...over }));

function profile(id = 'a:anon-1', patch: (p: Profile) => void = () => {}): Profile {
  const p = emptyProfile('demo', id, new Date(NOW - 86_400_000 * 30).toISOString());
  p.consent = { ...GRANTED, updatedAt: p.firstSeen };
  p.ids.anonymousIds = [id.slice(2)];
  patch(p);
  return p;
}
const dry = (p: Profile) => void (p.answers['skin-type'] = { value: 'dry', at: p.firstSeen });

const input = (over: Partial<DecideInput> = {}): DecideInput => ({
  profile: profile(),
  consent: GRANTED,
  context: { userAgent: CHROME, device: 'desktop' },
  now: NOW,
  ...over,
});

describe('decide: targeting', () => {
  it('shows the highest-priority matching variant, ties to the earlier one, and says why', () => {
    const r = decide(compiled(), input({ profile: profile('a:x', (p) => (dry(p), (p.commerce.orders = 1))) }));
    expect(r.slots.hero!.variant).toBe('hero-dry');
    expect(r.slots.hero!.content).toEqual({ title: 'For dry skin' });
    expect(r.slots.hero!.reason).toMatchObject({ kind: 'segment', segments: ['dry'] });
    expect(r.slots.hero!.reason.detail).toMatch(/hero-dry/);
  });

  it('falls back to the default when nothing matches', () => {
    const r = decide(compiled(), input());
    expect(r.slots.hero).toMatchObject({ variant: 'default', content: { title: 'Welcome' }, reason: { kind: 'default' } });
  });

  it('respects schedules', () => {
    expect(decide(compiled(), input()).slots.hero!.variant).toBe('default');
    expect(decide(compiled(), input({ now: Date.parse('2026-12-24T10:00:00Z') })).slots.hero!.variant).toBe('hero-xmas');
    expect(decide(compiled(), input({ now: Date.parse('2026-12-27T00:00:00Z') })).slots.hero!.variant).toBe('default');
  });

  it('carries the config version, and changes it when the config changes', () => {
    const a = decide(compiled(), input()).configVersion;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(decide(compiled({ holdout: { percent: 1 } }), input()).configVersion).not.toBe(a);
  });

  it('reports unknown slots without failing the rest', () => {
    const r = decide(compiled(), input({ slots: ['hero', 'sidebar'] }));
    expect(Object.keys(r.slots)).toEqual(['hero']);
    expect(r.unknownSlots).toEqual(['sidebar']);
  });

  it('without personalization consent applies contextual variants only', () => {
    const noConsent = { analytics: true, personalization: false };
    const dryProfile = profile('a:x', dry);
    expect(decide(compiled(), input({ profile: dryProfile, consent: noConsent })).slots.hero).toMatchObject({ variant: 'default', reason: { kind: 'no-consent' } });
    const mobile = decide(compiled(), input({ profile: dryProfile, consent: noConsent, context: { userAgent: CHROME, device: 'mobile' } }));
    expect(mobile.slots.hero).toMatchObject({ variant: 'hero-mobile', reason: { kind: 'contextual' } });
    expect(mobile.holdout).toBeNull();
  });

  it('is deterministic', () => {
    const i = input({ profile: profile('a:x', dry) });
    expect(decide(compiled(), i)).toEqual(decide(compiled(), i));
  });
});

const experiment = {
  id: 'hero-copy',
  slot: 'hero',
  arms: [
    { id: 'control', weight: 50 },
    { id: 'bold', weight: 50, variant: 'hero-buyer' },
  ],
};

describe('decide: experiments', () => {
  it('splits visitors by weight, deterministically, and asks for an exposure event', () => {
    const c = compiled({ experiments: [experiment] });
    let bold = 0;
    for (let i = 0; i < 2000; i++) {
      const r = decide(c, input({ profile: profile(`a:v${i}`), bucketingId: `v${i}` }));
      const d = r.slots.hero!;
      expect(d.exposure).toEqual({ experiment_id: 'hero-copy', variant_id: d.reason.arm });
      if (d.reason.arm === 'bold') {
        bold++;
        expect(d.variant).toBe('hero-buyer');
      } else expect(d.variant).toBe('default'); // control: what targeting shows
    }
    expect(bold / 2000).toBeGreaterThan(0.45);
    expect(bold / 2000).toBeLessThan(0.55);
  });

  it('keeps the recorded arm when the weights change later', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `v${i}`);
    const first = compiled({ experiments: [experiment] });
    const assigned = new Map(ids.map((id) => [id, decide(first, input({ profile: profile(`a:${id}`), bucketingId: id })).slots.hero!.reason.arm!]));
    const reweighted = compiled({ experiments: [{ ...experiment, arms: [{ id: 'control', weight: 10 }, { id: 'bold', weight: 90, variant: 'hero-buyer' }] }] });
    let moved = 0;
    for (const id of ids) {
      const exposed = profile(`a:${id}`, (p) => void (p.experiments['hero-copy'] = { variant: assigned.get(id)!, at: p.firstSeen }));
      const r = decide(reweighted, input({ profile: exposed, bucketingId: id }));
      expect(r.slots.hero!.reason.arm).toBe(assigned.get(id));
      const fresh = decide(reweighted, input({ profile: profile(`a:${id}`), bucketingId: id }));
      if (fresh.slots.hero!.reason.arm !== assigned.get(id)) moved++;
    }
    expect(moved, 'without the stored assignment the new weights would have moved visitors').toBeGreaterThan(0);
  });

  it('keeps the assignment when an anonymous visitor logs in and the profiles merge', () => {
    const c = compiled({ experiments: [experiment] });
    // Find an anonymous id and a user id that hash to different arms.
    let anon = '';
    let user = '';
    for (let i = 0; !anon; i++) {
      const a = decide(c, input({ bucketingId: `anon${i}` })).slots.hero!.reason.arm;
      const u = decide(c, input({ bucketingId: `user${i}` })).slots.hero!.reason.arm;
      if (a !== u) [anon, user] = [`anon${i}`, `user${i}`];
    }
    const armBefore = decide(c, input({ profile: profile(`a:${anon}`), bucketingId: anon })).slots.hero!.reason.arm!;
    const anonymous = profile(`a:${anon}`, (p) => void (p.experiments['hero-copy'] = { variant: armBefore, at: p.firstSeen }));
    const known = profile(`u:${user}`, (p) => void (p.firstSeen = new Date(NOW).toISOString()));
    const merged = mergeProfiles(known, anonymous);
    const after = decide(c, input({ profile: merged, bucketingId: user })); // a second device: another id hashes
    expect(after.slots.hero!.reason.arm).toBe(armBefore);
  });

  it('gives bots and headless browsers the default and no exposure', () => {
    const c = compiled({ experiments: [experiment] });
    for (const ua of ['Googlebot/2.1', 'Mozilla/5.0 HeadlessChrome/120.0.0.0', undefined]) {
      const d = decide(c, input({ context: { userAgent: ua } })).slots.hero!;
      expect(d).toMatchObject({ variant: 'default', reason: { kind: 'bot' } });
      expect(d.exposure).toBeUndefined();
    }
  });

  it('shows an arm\'s own content, seen only inside the experiment', () => {
    const c = compiled({ experiments: [{ ...experiment, arms: [{ id: 'control', weight: 0 }, { id: 'own', weight: 100, content: { title: 'Only here' } }] }] });
    expect(decide(c, input()).slots.hero).toMatchObject({ variant: 'own', content: { title: 'Only here' }, reason: { kind: 'experiment', arm: 'own' } });
  });

  it('runs only while live, and only for its audience', () => {
    const later = compiled({ experiments: [{ ...experiment, start: '2027-01-01T00:00:00Z' }] });
    expect(decide(later, input()).slots.hero!.reason.kind).toBe('default');
    const paused = compiled({ experiments: [{ ...experiment, status: 'paused' }] });
    expect(decide(paused, input()).slots.hero!.exposure).toBeUndefined();
    const dryOnly = compiled({ experiments: [{ ...experiment, audience: { segment: 'dry' } }] });
    expect(decide(dryOnly, input()).slots.hero!.exposure).toBeUndefined();
    expect(decide(dryOnly, input({ profile: profile('a:x', dry) })).slots.hero!.exposure).toBeDefined();
  });
});

describe('decide: holdout', () => {
  it('holds out the configured share (5% of 100,000 ids, within 0.3 points) and shows them defaults everywhere', () => {
    const c = compiled({ holdout: { percent: 5 }, experiments: [experiment] });
    let held = 0;
    for (let i = 0; i < 100_000; i++) {
      const r = decide(c, { profile: null, consent: GRANTED, context: { userAgent: CHROME }, bucketingId: `id-${i}`, now: NOW, slots: ['banner'] });
      if (r.holdout) {
        held++;
        if (held < 50) expect(r.slots.banner).toMatchObject({ variant: 'default', reason: { kind: 'holdout' } });
      }
    }
    expect(Math.abs(held / 100_000 - 0.05)).toBeLessThan(0.003);
  });
});

describe('decide: preview', () => {
  it('shows a page as a segment would, and is never counted', () => {
    const c = compiled({ experiments: [experiment] });
    const r = decide(c, input({ preview: { segments: ['dry'] } }));
    expect(r.preview).toBe(true);
    expect(r.slots.hero).toMatchObject({ variant: 'hero-dry', reason: { kind: 'preview' } });
    expect(r.slots.hero!.exposure).toBeUndefined();
    expect(r.holdout).toBeNull();
  });

  it('forces a variant, even for a visitor without consent', () => {
    const r = decide(compiled(), input({ consent: { analytics: false, personalization: false }, preview: { variants: { hero: 'hero-xmas' } } }));
    expect(r.slots.hero).toMatchObject({ variant: 'hero-xmas', content: { title: 'Merry' }, reason: { kind: 'preview' } });
    expect(r.slots.banner!.reason.kind).toBe('preview');
  });
});

describe('decide: names are own keys only (docs/security.md)', () => {
  it('a slot or experiment named like an Object.prototype member is decided like any other', () => {
    const c = compiled({
      slots: [{ id: 'toString', default: { title: 'Default' }, variants: [{ id: 'constructor', priority: 1, content: { title: 'For everyone' } }] }],
      experiments: [{ id: 'constructor', slot: 'toString', status: 'running', goal: 'Order Completed', arms: [{ id: 'control', weight: 50 }, { id: 'valueOf', weight: 50, content: { title: 'B' } }] }],
    });
    // A profile as read back from JSON (maps with Object.prototype) that was never shown the experiment.
    const p = JSON.parse(JSON.stringify(profile('a:anon-proto'))) as Profile;
    const slot = (r: ReturnType<typeof decide>) => Object.getOwnPropertyDescriptor(r.slots, 'toString')?.value as Decision;
    const r = decide(c, input({ profile: p, preview: undefined }));
    expect(Object.keys(r.slots)).toEqual(['toString']);
    expect(slot(r).reason.kind).toBe('experiment');
    // Previewing other slots does not force this one.
    const forced = decide(c, input({ profile: p, preview: { variants: {} } }));
    expect(slot(forced).reason.detail).not.toMatch(/preview forces/);
    // Once shown an arm, the visitor keeps it.
    Object.defineProperty(p.experiments, 'constructor', { value: { variant: 'valueOf', at: p.firstSeen }, enumerable: true });
    expect(slot(decide(c, input({ profile: p })))).toMatchObject({ variant: 'valueOf', reason: { arm: 'valueOf', detail: expect.stringMatching(/sticky/) } });
  });
});
