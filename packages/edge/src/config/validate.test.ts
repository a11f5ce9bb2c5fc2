// Every kind of mistake a marketer can make in the config, and the path and words that point at it.
import { describe, expect, it } from 'vitest';
import committedSchema from '../../attune.config.schema.json';
import demoConfig from '../../../../demo-site/attune.config.json';
import { configJsonSchema } from './json-schema.js';
import { validateConfig } from './validate.js';

const valid = {
  sites: { demo: { writeKey: 'demo' } },
  segments: [
    { id: 'dry', rule: { answer: 'skin-type', eq: 'dry' } },
    { id: 'buyer', rule: { commerce: 'orders', gte: 1 } },
  ],
  slots: [{ id: 'hero', default: { title: 'Hi' }, variants: [{ id: 'v1', audience: { segment: 'dry' }, content: { title: 'Dry' } }] }],
  experiments: [{ id: 'e1', slot: 'hero', arms: [{ id: 'control', weight: 50 }, { id: 'b', weight: 50, variant: 'v1' }] }],
  quizzes: [{ id: 'skin', title: 'Skin', questions: [{ id: 'skin-type', text: 'Your skin?', answers: [{ id: 'dry', label: 'Dry' }] }] }],
};

type Patch = (c: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
const broken = (patch: Patch) => {
  const c = structuredClone(valid);
  patch(c);
  const r = validateConfig(c);
  return r.ok ? [] : r.errors;
};

describe('validateConfig', () => {
  it('accepts a valid config and the demo config (as a deployed Worker checks it)', () => {
    expect(validateConfig(valid)).toMatchObject({ ok: true, warnings: [] });
    expect(validateConfig(demoConfig)).toMatchObject({ ok: true, warnings: [] });
  });

  it.each<[string, Patch, string, RegExp, string?, RegExp?]>([
    ['wrong type', (c) => (c.sites.demo.retentionDays = 'a year'), 'sites.demo.retentionDays', /wrong type/, '"a year"', /number/],
    ['missing field', (c) => delete c.slots[0].default, 'slots[0].default', /missing/, 'nothing'],
    ['typo in a key', (c) => (c.slots[0].variants[0].priorty = 1), 'slots[0].variants[0].priorty', /did you mean "priority"/],
    ['bad enum', (c) => (c.experiments[0].status = 'on'), 'experiments[0].status', /not an allowed value/, '"on"', /"running"/],
    ['bad date', (c) => (c.experiments[0].start = 'tomorrow'), 'experiments[0].start', /ISO 8601/],
    ['bad id', (c) => (c.segments[0].id = 'dry skin!'), 'segments[0].id', /letters, digits/],
    ['empty title', (c) => (c.slots[0].variants[0].content.title = '  '), 'slots[0].variants[0].content.title', /must not be empty/],
    ['rule with two subjects', (c) => (c.segments[0].rule = { trait: 'a', answer: 'b', eq: 1 }), 'segments[0].rule', /trait and answer/],
    ['duplicate segment id', (c) => (c.segments[1].id = 'dry'), 'segments[1].id', /duplicate id \(also segments\[0\]\)/, '"dry"'],
    ['duplicate variant id', (c) => c.slots[0].variants.push({ id: 'v1', content: {} }), 'slots[0].variants[1].id', /duplicate/],
    ['"default" as a variant id', (c) => (c.slots[0].variants[0].id = 'default'), 'slots[0].variants[0].id', /default content/],
    ['unknown segment', (c) => (c.slots[0].variants[0].audience = { segment: 'drry' }), 'slots[0].variants[0].audience.segment', /unknown segment — did you mean "dry"/, '"drry"', /"dry", "buyer"/],
    ['unknown segment deep in a rule', (c) => (c.segments[1].rule = { all: [{ commerce: 'orders', gte: 1 }, { not: { segment: 'x' } }] }), 'segments[1].rule.all[1].not.segment', /unknown segment/],
    ['reference cycle', (c) => ((c.segments[0].rule = { segment: 'buyer' }), (c.segments[1].rule = { any: [{ segment: 'dry' }] })), 'segments[0].rule', /cycle: dry → buyer → dry/],
    ['self reference', (c) => (c.segments[0].rule = { segment: 'dry' }), 'segments[0].rule', /cycle: dry → dry/],
    ['weights not summing to 100', (c) => (c.experiments[0].arms[1].weight = 40), 'experiments[0].arms', /do not add up to 100/, '"50 + 40 = 90"', /100/],
    ['unknown slot', (c) => (c.experiments[0].slot = 'heroo'), 'experiments[0].slot', /unknown slot/, '"heroo"', /"hero"/],
    ['unknown arm variant', (c) => (c.experiments[0].arms[1].variant = 'v2'), 'experiments[0].arms[1].variant', /no such variant/],
    ['experiment dates out of order', (c) => Object.assign(c.experiments[0], { start: '2026-12-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }), 'experiments[0].end', /ends before it starts/],
    ['schedule out of order', (c) => (c.slots[0].variants[0].schedule = { from: '2026-12-01T00:00:00Z', until: '2026-12-01T00:00:00Z' }), 'slots[0].variants[0].schedule.until', /ends before it starts/],
    ['overlapping experiments on one slot', (c) => c.experiments.push({ ...c.experiments[0], id: 'e2' }), 'experiments[1].slot', /same time as experiments\[0\]/],
    ['duplicate write keys', (c) => (c.sites.other = { writeKey: 'demo' }), 'sites', /write keys must be unique/],
    ['unknown top-level section', (c) => (c.segmentz = []), 'segmentz', /did you mean "segments"/],
  ])('%s', (_, patch, path, message, found, expected) => {
    const errors = broken(patch);
    const e = errors.find((x) => x.path === path);
    expect(e, `no error at ${path}; got ${JSON.stringify(errors)}`).toBeDefined();
    expect(e!.message).toMatch(message);
    if (found) expect(e!.found).toBe(found);
    if (expected) expect(e!.expected).toMatch(expected);
  });

  it('lists every error, not just the first', () => {
    const errors = broken((c) => {
      c.segments[1].id = 'dry';
      c.experiments[0].arms[1].weight = 10;
      c.experiments[0].slot = 'nope';
    });
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['segments[1].id', 'experiments[0].arms', 'experiments[0].slot']));
  });

  it('warns, without failing, about answers to questions no quiz defines', () => {
    const c = structuredClone(valid);
    c.segments[0]!.rule = { answer: 'skin-tone', eq: 'x' } as never;
    const r = validateConfig(c);
    expect(r.ok).toBe(true);
    expect(r.warnings[0]).toMatchObject({ path: 'segments[0].rule.answer', severity: 'warning', found: '"skin-tone"' });
  });
});

describe('config that cannot aim at the inside', () => {
  const withHook = (webhook: Record<string, unknown>) => ({ ...valid, triggers: [{ id: 'cart', on: 'cart-abandoned', webhook: { url: 'https://hooks.example.com/attune', secretEnv: 'ATTUNE_WEBHOOK_SECRET', ...webhook } }] });
  const problems = (input: unknown, allowLocalWebhooks?: boolean) => {
    const r = validateConfig(input, { allowLocalWebhooks });
    return [...(r.ok ? [] : r.errors), ...r.warnings].map((e) => `${e.severity} ${e.path}: ${e.message}`);
  };

  it.each<[string, RegExp]>([
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is the cloud metadata address/],
    ['https://2130706433/hook', /127\.0\.0\.1 is a loopback address/],
    ['https://0x7f.1/hook', /127\.0\.0\.1 is a loopback address/],
    ['https://0177.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
    ['https://[::ffff:127.0.0.1]/hook', /IPv4-mapped IPv6 address of 127\.0\.0\.1/],
    ['https://10.0.0.8/hook', /private network address \(10\.0\.0\.0\/8\)/],
    ['https://metadata.google.internal/computeMetadata/v1/', /cloud metadata service/],
    ['https://printer.local/hook', /local-network \(mDNS\) name/],
    ['http://hooks.example.com/attune', /is http: — .*https only/],
  ])('refuses the webhook URL %s, naming the path and why', (url, why) => {
    const r = validateConfig(withHook({ url }));
    expect(r.ok).toBe(false);
    const e = !r.ok && r.errors.find((x) => x.path === 'triggers[0].webhook.url');
    expect(e, JSON.stringify(r)).toMatchObject({ found: JSON.stringify(url), expected: expect.stringMatching(/https URL on a public host/) });
    expect(e && e.message).toMatch(why);
  });

  it('takes http://localhost only in local development, and says so even then', () => {
    const local = withHook({ url: 'http://localhost:8788/hooks/attune' });
    expect(problems(local)).toEqual([expect.stringMatching(/^error triggers\[0\]\.webhook\.url: localhost is a loopback name .*accepted only in local development/)]);
    expect(validateConfig(local, { allowLocalWebhooks: true }).ok).toBe(true);
    expect(problems(local, true)).toEqual([expect.stringMatching(/^warning triggers\[0\]\.webhook\.url: reaches this machine: accepted in local development only/)]);
    // Development opens this machine, not the rest of the inside.
    expect(problems(withHook({ url: 'http://169.254.169.254/' }), true)).toEqual([expect.stringMatching(/^error triggers\[0\]\.webhook\.url: .*cloud metadata/)]);
  });

  it.each<[string, RegExp]>([
    ['ATTUNE_ADMIN_TOKEN', /not ATTUNE_ADMIN_TOKEN: the Worker uses that one itself/],
    ['ATTUNE_COOKIE_SECRET', /not ATTUNE_COOKIE_SECRET/],
    ['ATTUNE_PREVIEW_KEY', /not ATTUNE_PREVIEW_KEY/],
    ['CRM_SECRET', /starting with ATTUNE_WEBHOOK_/],
    ['ATTUNE_ENV', /starting with ATTUNE_WEBHOOK_/],
    ['ATTUNE_WEBHOOK_', /starting with ATTUNE_WEBHOOK_/],
  ])('refuses secretEnv %s: none of the Worker\'s own secrets may sign a webhook', (secretEnv, why) => {
    expect(problems(withHook({ secretEnv }))).toEqual([expect.stringMatching(/^error triggers\[0\]\.webhook\.secretEnv: is the NAME of a Worker secret/)]);
    expect(problems(withHook({ secretEnv }))[0]).toMatch(why);
    expect(problems(withHook({ secretEnv: 'ATTUNE_WEBHOOK_CRM' }))).toEqual([]);
  });

  it('refuses content.html, renamed to unsafeHtml, wherever content is', () => {
    const c = structuredClone(valid) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    c.slots[0].default = { html: '<b>Hi</b>' };
    c.slots[0].variants[0].content = { title: 'Dry', html: '<b>Dry</b>' };
    c.experiments[0].arms[0].content = { html: '<i>x</i>' };
    expect(problems(c)).toEqual([
      'error slots[0].default.html: renamed to unsafeHtml: it is inserted as raw HTML, not sanitized, so only trusted authors may write it',
      'error slots[0].variants[0].content.html: renamed to unsafeHtml: it is inserted as raw HTML, not sanitized, so only trusted authors may write it',
      'error experiments[0].arms[0].content.html: renamed to unsafeHtml: it is inserted as raw HTML, not sanitized, so only trusted authors may write it',
    ]);
    c.slots[0].default = { unsafeHtml: '<b>Hi</b>' };
    c.slots[0].variants[0].content = { title: 'Dry', unsafeHtml: '<b>Dry</b>' };
    c.experiments[0].arms[0].content = { unsafeHtml: '<i>x</i>' };
    expect(problems(c)).toEqual([]);
  });
});

describe('JSON Schema', () => {
  it('is generated from the zod schema and committed fresh (run `npx attune schema --write packages/edge/attune.config.schema.json`)', () => {
    expect(committedSchema).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it('lets an editor complete the sections, rule keys and operators', () => {
    const s = JSON.stringify(committedSchema);
    for (const key of ['segments', 'slots', 'experiments', 'quizzes', 'holdout', 'withinDays', 'daysSince', 'topAffinity', 'notIn', 'startsWith', 'unsafeHtml'])
      expect(s).toContain(`"${key}"`);
  });

  it('tells an editor that a webhook secret is named ATTUNE_WEBHOOK_…, and offers no html field', () => {
    const s = JSON.stringify(committedSchema);
    expect(s).toContain('"pattern":"^ATTUNE_WEBHOOK_[A-Z0-9_]{1,49}$"');
    expect(s).not.toContain('"html"');
  });
});
