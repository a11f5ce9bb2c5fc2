import { describe, expect, it } from 'vitest';
import { parseComment, parseIfMatch } from './publish-headers.js';

describe('parseIfMatch', () => {
  it.each([
    ['"3"', 3],
    ['W/"12"', 12],
    ['7', 7],
    [' "4" ', 4],
  ])('reads %s as version %i', (h, v) => expect(parseIfMatch(h)).toEqual({ ok: true, version: v }));

  it('puts no condition when absent or *', () => {
    expect(parseIfMatch(undefined)).toEqual({ ok: true });
    expect(parseIfMatch('*')).toEqual({ ok: true });
  });

  it.each(['"abc"', '"0"', '"3', '3"', '"3", "4"', '-1', '"1.5"'])('refuses %s, naming the header', (h) => {
    const r = parseIfMatch(h);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^If-Match .* is not a config version/);
  });
});

describe('parseComment', () => {
  it('decodes percent-encoded text', () => {
    expect(parseComment(encodeURIComponent('Neuer Titel für „Trockene Haut“'))).toEqual({ ok: true, comment: 'Neuer Titel für „Trockene Haut“' });
    expect(parseComment(undefined)).toEqual({ ok: true, comment: '' });
  });

  it('refuses malformed encoding and overlong comments', () => {
    expect(parseComment('%E0%A4%A')).toMatchObject({ ok: false, error: expect.stringMatching(/percent-encoded/) });
    expect(parseComment('x'.repeat(501))).toMatchObject({ ok: false, error: expect.stringMatching(/501 characters/) });
  });
});
