import { describe, expect, it } from 'vitest';
import { utf8Bytes } from './utf8.js';

describe('utf8Bytes', () => {
  it('counts UTF-8 bytes as TextEncoder does, lone surrogates included', () => {
    for (const s of ['', 'abc', 'é', 'ü€', '日本語', '😀', 'a😀b', '\ud83d', '\ude00x', 'x\ud83d', '\u007f\u0080\u07ff\u0800\uffff', JSON.stringify({ k: 'é\n"😀' })])
      expect(utf8Bytes(s), JSON.stringify(s)).toBe(new TextEncoder().encode(s).length);
  });
});
