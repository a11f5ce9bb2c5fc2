import { describe, expect, it } from 'vitest';
import { eventSchema } from './events.js';
import { ruleSchema } from './rules.js';
import * as z from './zod.js';

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe("the contract's zod (zod/mini)", () => {
  it("answers in zod's English, as the classic API did (mini has no messages until told)", () => {
    const r = eventSchema.safeParse({ type: 'track', event: 7, messageId: 'm-1', anonymousId: 'a-1' });
    expect(messages(r)).toEqual(['event: Invalid input: expected string, received number']);
    expect(messages(z.string().check(z.maxLength(3)).safeParse('long'))).toEqual([': Too big: expected string to have <=3 characters']);
  });

  it('checks a schema that holds itself (a rule of rules) without running its getters early, at any depth', () => {
    expect(ruleSchema.safeParse({ all: [{ any: [{ segment: 'dry' }, { not: { segment: 'oily' } }] }] }).success).toBe(true);
    expect(messages(ruleSchema.safeParse({ all: [{ any: [{ segment: 'dry', trait: 'skin' }] }] }))).toEqual([
      'all.0.any.0: has trait and segment: one rule says one thing; combine rules with all/any',
    ]);
  });

  it('keeps a checked copy apart from the original, and a schema id on one schema only', () => {
    const base = z.strictObject({ a: z.optional(z.number()) });
    const checked = z.checkRecursive(base, z.refine((v) => v.a !== 0, 'a must not be 0'));
    expect(base.safeParse({ a: 0 }).success).toBe(true);
    expect(messages(checked.safeParse({ a: 0 }))).toEqual([': a must not be 0']);
    const described = ruleSchema.check(z.describe('a copy'));
    expect(z.globalRegistry.get(ruleSchema)?.id).toBe('Rule');
    expect(z.globalRegistry.get(described)?.id).toBeUndefined();
  });
});
