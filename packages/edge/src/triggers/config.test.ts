// A marketer's trigger mistakes are refused with the path of the mistake and words that explain it.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate.js';

const hook = { url: 'https://hooks.example.com/attune', secretEnv: 'ATTUNE_WEBHOOK_SECRET' };
const base = {
  sites: { demo: { writeKey: 'demo' } },
  segments: [{ id: 'vip', rule: { commerce: 'orders', gte: 3 } }],
  quizzes: [{ id: 'skin', title: 'Skin', questions: [{ id: 'skin-type', text: 'Your skin?' }] }],
};
const errorsOf = (triggers: unknown[]) => {
  const r = validateConfig({ ...base, triggers });
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}${e.found ? ` (found ${e.found})` : ''}`);
};

describe('config triggers', () => {
  it('accepts every kind, with consent defaulting to personalization', () => {
    const triggers = [
      { id: 'cart', on: 'cart-abandoned', after: { minutes: 30 }, webhook: hook },
      { id: 'browse', on: 'browse-abandoned', webhook: hook, consent: 'analytics' },
      { id: 'refill', on: 'repurchase-due', after: { days: 45 }, webhook: hook },
      { id: 'bday', on: 'birthday', webhook: hook },
      { id: 'vip-in', on: 'segment-entered', segment: 'vip', webhook: hook },
      { id: 'vip-out', on: 'segment-exited', segment: 'vip', webhook: hook },
      { id: 'quiz', on: 'quiz-completed', quiz: 'skin', webhook: hook },
    ];
    const r = validateConfig({ ...base, triggers });
    expect(r.ok && r.config.triggers.map((t) => t.consent)).toEqual(['personalization', 'analytics', ...Array(5).fill('personalization')]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown kind', { id: 't', on: 'cart-left', webhook: hook }, /^triggers\[0\]\.on: .*not an allowed value.*cart-left/],
    ['segment-entered without its segment', { id: 't', on: 'segment-entered', webhook: hook }, /^triggers\[0\]\.segment: "segment-entered" needs the segment/],
    ['an unknown segment', { id: 't', on: 'segment-exited', segment: 'vp', webhook: hook }, /^triggers\[0\]\.segment: unknown segment — did you mean "vip"\?/],
    ['an unknown quiz', { id: 't', on: 'quiz-completed', quiz: 'hair', webhook: hook }, /^triggers\[0\]\.quiz: unknown quiz/],
    ['a URL that is not one', { id: 't', on: 'birthday', webhook: { ...hook, url: 'hooks.example.com' } }, /^triggers\[0\]\.webhook\.url: .*http\(s\) URL/],
    ['a non-http URL', { id: 't', on: 'birthday', webhook: { ...hook, url: 'ftp://example.com/x' } }, /^triggers\[0\]\.webhook\.url: /],
    ['the secret itself instead of its name', { id: 't', on: 'birthday', webhook: { ...hook, secretEnv: 'whsec_a1b2c3' } }, /^triggers\[0\]\.webhook\.secretEnv: is the NAME of a Worker secret/],
    ['a missing webhook', { id: 't', on: 'birthday' }, /^triggers\[0\]\.webhook: /],
    ['a delay of zero', { id: 't', on: 'cart-abandoned', after: { minutes: 0 }, webhook: hook }, /^triggers\[0\]\.after/],
    ['an unknown consent purpose', { id: 't', on: 'birthday', webhook: hook, consent: 'marketing' }, /^triggers\[0\]\.consent: /],
  ])('refuses %s, naming its path', (_, trigger, expected) => {
    const errors = errorsOf([trigger]);
    expect(errors.some((e) => expected.test(e)), errors.join('\n')).toBe(true);
  });

  it('refuses two triggers with one id', () => {
    expect(errorsOf([{ id: 't', on: 'birthday', webhook: hook }, { id: 't', on: 'birthday', webhook: hook }])).toContainEqual(expect.stringMatching(/^triggers\[1\]\.id: duplicate id/));
  });
});
